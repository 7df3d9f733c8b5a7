/**
 * The runtime boundaries of the source tree, checked from the imports TypeScript sees:
 * - the engine and everything that is not the Electron shell (main/**, migrations/) never
 *   imports `electron` or main/electron/, so the CLI, tests and `require('fieldbook')` run in
 *   plain Node;
 * - compiled migrations require nothing but Node's built-ins at run time: they ship detached
 *   from the app, in resources/migrations, where a relative require into main/ finds nothing;
 * - the renderer (renderer/src) imports no Node built-in, no Node-only package, no `electron`,
 *   nothing outside renderer/ except `import type` from main/ipc/contract, and only packages
 *   package.json declares;
 * - main/ipc/contract.ts imports nothing (the renderer compiles it);
 * - the compiled preload requires only `electron` (a sandboxed preload cannot load files) and
 *   exposes exactly the contract's operations and events on the channels main listens to.
 * The compiler enforces the same rooms (see each tsconfig); the `compiler:` tests below prove each
 * rule by compiling probes that break it and probes that keep it. The import scans stay as the
 * fallback for what a tsconfig cannot see (`require` calls, `import type` versus value imports,
 * compiled output).
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import { builtinModules } from 'node:module';
import path = require('node:path');
import { test } from 'node:test';
import vm = require('node:vm');
import ts from 'typescript';
import { OPERATIONS, channel } from '../main/ipc/contract';
import { REPO_ROOT } from './helpers/fixtures';

interface ImportSite {
  file: string;
  line: number;
  specifier: string;
  /** Erased at compile time (`import type`, `export type`, `import('x').T`). */
  typeOnly: boolean;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** Every module a file names: static and dynamic imports, re-exports, `require` calls, import types. */
function importsOf(file: string): ImportSite[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : undefined);
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    sites.push({
      file: path.relative(REPO_ROOT, file).split(path.sep).join('/'),
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      specifier: specifier.text,
      typeOnly,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allNamedAreTypes = !!clause && !clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || allNamedAreTypes));
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [first] = node.arguments;
        if (first && ts.isStringLiteralLike(first)) add(node, first, false);
        else sites.push({ file: path.relative(REPO_ROOT, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier: '<computed>', typeOnly: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

const where = (site: ImportSite) => `${site.file}:${site.line} '${site.specifier}'`;
const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');
const resolveFrom = (site: ImportSite) => path.resolve(REPO_ROOT, path.dirname(site.file), site.specifier);
const isInside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);
const isElectron = (specifier: string) => specifier === 'electron' || specifier.startsWith('electron/');
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!) || builtinModules.includes(specifier);
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const ELECTRON_SHELL = path.join(REPO_ROOT, 'main', 'electron');
const RENDERER = path.join(REPO_ROOT, 'renderer');
const CONTRACT = path.join(REPO_ROOT, 'main', 'ipc', 'contract');
/** The contract's files: contract.ts and the parts it re-exports (contract-csv.ts, contract-edits.ts, contract-views.ts, contract-charts.ts, contract-travel.ts, contract-documents.ts). */
const CONTRACT_FILES = [
  CONTRACT,
  ...['contract-csv', 'contract-edits', 'contract-views', 'contract-charts', 'contract-travel', 'contract-documents'].map((part) => path.join(REPO_ROOT, 'main', 'ipc', part)),
];

test('nothing outside main/electron imports electron or the Electron shell', () => {
  const files = [...sourceFiles(path.join(REPO_ROOT, 'main')).filter((f) => !isInside(f, ELECTRON_SHELL)), ...sourceFiles(path.join(REPO_ROOT, 'migrations'))];
  for (const folder of ['engine', 'app', 'ipc', 'models', 'cli']) {
    assert.ok(
      files.some((f) => isInside(f, path.join(REPO_ROOT, 'main', folder))),
      `main/${folder} has sources to check`,
    );
  }
  const violations = files
    .flatMap(importsOf)
    .filter((site) => isElectron(site.specifier) || (isRelative(site.specifier) && isInside(resolveFrom(site), ELECTRON_SHELL)))
    .map(where);
  assert.deepEqual(violations, []);
});

test('compiled migrations require only Node built-ins (they ship detached, in resources/migrations)', () => {
  const compiled = path.join(REPO_ROOT, 'dist', 'migrations');
  const files = sourceFiles(compiled).filter((f) => /^\d{4}-.*\.js$/.test(path.basename(f)));
  assert.ok(files.length >= 6, `compiled migrations in ${compiled} (run npm run build)`);
  const violations = files
    .flatMap(importsOf)
    .filter((site) => !isNodeBuiltin(site.specifier))
    .map(where);
  assert.deepEqual(violations, []);
});

test('the renderer imports no Node, no electron, nothing outside renderer/ but types from the IPC contract', () => {
  const files = sourceFiles(path.join(RENDERER, 'src'));
  if (files.length === 0) return; // no renderer yet
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const nodeOnlyPackages = new Set(Object.keys(pkg.dependencies ?? {})); // the engine's: better-sqlite3, sequelize, umzug
  const declared = new Set([...nodeOnlyPackages, ...Object.keys(pkg.devDependencies ?? {})]);
  const problem = (site: ImportSite): string | null => {
    const s = site.specifier;
    if (s === '<computed>') return 'a computed import';
    if (isElectron(s)) return 'electron';
    if (isNodeBuiltin(s)) return 'a Node built-in';
    if (isRelative(s) || path.isAbsolute(s)) {
      const target = path.isAbsolute(s) ? s : resolveFrom(site);
      if (isInside(target, RENDERER)) return null;
      const isContract = CONTRACT_FILES.includes(target.replace(/\.(ts|js)$/, ''));
      if (isContract && site.typeOnly) return null;
      return isContract ? 'a value import of the IPC contract (use `import type`)' : 'a file outside renderer/';
    }
    if (nodeOnlyPackages.has(packageName(s))) return 'a Node-only package';
    if (!declared.has(packageName(s))) return 'a package package.json does not declare';
    return null;
  };
  const violations = files.flatMap(importsOf).flatMap((site) => {
    const why = problem(site);
    return why ? [`${where(site)}: ${why}`] : [];
  });
  assert.deepEqual(violations, []);
});

test('the IPC contract imports nothing but its own files', () => {
  const outside = CONTRACT_FILES.flatMap((file) => importsOf(file + '.ts')).filter(
    (site) => !(isRelative(site.specifier) && CONTRACT_FILES.includes(resolveFrom(site).replace(/\.(ts|js)$/, ''))),
  );
  assert.deepEqual(outside.map(where), []);
  assert.ok(
    importsOf(CONTRACT + '.ts').some((site) => site.specifier === './contract-edits'),
    'contract.ts re-exports its edits',
  );
});

/** The contract's interface members, read from its source (interfaces do not exist at run time). */
function interfaceMembers(name: string): string[] {
  const source = ts.createSourceFile('contract.ts', fs.readFileSync(CONTRACT + '.ts', 'utf8'), ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(declaration, `interface ${name} in the contract`);
  return declaration.members.map((m) => {
    assert.ok(m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)), `a named member of ${name}`);
    return m.name.text;
  });
}

test('OPERATIONS lists every FieldbookApi method but on()', () => {
  assert.deepEqual(
    [...OPERATIONS].sort(),
    interfaceMembers('FieldbookApi')
      .filter((m) => m !== 'on')
      .sort(),
  );
  assert.equal(new Set(OPERATIONS).size, OPERATIONS.length, 'no duplicates');
});

test("the compiled preload requires only electron and exposes exactly the contract's operations and events", async () => {
  const file = path.join(REPO_ROOT, 'dist', 'main', 'electron', 'preload.js');
  assert.ok(fs.existsSync(file), `${file} (built from tsconfig.preload.json by npm run build)`);
  assert.deepEqual(
    importsOf(file)
      .filter((site) => site.specifier !== 'electron')
      .map(where),
    [],
  );

  const invoked: { channel: string; args: unknown[] }[] = [];
  const listening: string[] = [];
  const exposed = new Map<string, Record<string, unknown>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: Record<string, unknown>) => void exposed.set(key, value) },
    ipcRenderer: {
      invoke: (name: string, ...args: unknown[]) => {
        invoked.push({ channel: name, args });
        return Promise.resolve({ ok: true, value: null });
      },
      on: (name: string) => void listening.push(name),
      removeListener: () => undefined,
    },
  };
  const sandboxRequire = (specifier: string) => {
    if (specifier === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require '${specifier}'`);
  };
  const module = { exports: {} };
  const run = new vm.Script(`(function (exports, require, module) {${fs.readFileSync(file, 'utf8')}\n})`, { filename: file }).runInNewContext({}) as (
    e: unknown,
    r: unknown,
    m: unknown,
  ) => void;
  run(module.exports, sandboxRequire, module);

  assert.deepEqual([...exposed.keys()], ['fieldbook']);
  const api = exposed.get('fieldbook')!;
  assert.deepEqual(
    Object.keys(api)
      .filter((k) => k !== 'on')
      .sort(),
    [...OPERATIONS].sort(),
    "the preload's operations are the contract's OPERATIONS",
  );
  for (const operation of OPERATIONS) {
    await (api[operation] as (...args: unknown[]) => Promise<unknown>)('doc-1', 2);
    assert.deepEqual(invoked.at(-1), { channel: channel(operation), args: ['doc-1', 2] }, `${operation} goes to ${channel(operation)}`);
  }
  const on = api.on as (event: string, listener: () => void) => () => void;
  const events = interfaceMembers('Events');
  for (const event of events) assert.equal(typeof on(event, () => undefined), 'function');
  assert.deepEqual(
    listening,
    events.map((e) => channel(e as Parameters<typeof channel>[0])),
    'every contract event can be listened to, on its channel',
  );
  assert.throws(() => on('not-an-event', () => undefined), /unknown event/);
});

// ---------------------------------------------------------------------------------------------
// The same rooms, kept by the compiler: each project's tsconfig makes breaking its rule a compile
// error. A probe is a source file written into a project (in memory, at a path inside it, or in
// place of one of its files), compiled by TypeScript with that project's real tsconfig: its
// options, project references and file list. Each rule has a probe that breaks it, which must fail
// with the expected error code, and a probe that keeps it, which must compile: a tsconfig that
// stops enforcing the rule, or one that refuses everything, fails the test.

const ENGINE_PROJECT = path.join(REPO_ROOT, 'main', 'engine', 'tsconfig.json');
const APP_PROJECT = path.join(REPO_ROOT, 'tsconfig.json');
const PRELOAD_PROJECT = path.join(REPO_ROOT, 'tsconfig.preload.json');
const RENDERER_PROJECT = path.join(REPO_ROOT, 'renderer', 'tsconfig.json');

const programs = new Map<string, ts.Program>();
/** Parsed files shared by the probes of one project (a probe is the only file that changes between them). */
const parsedFiles = new Map<string, ts.SourceFile>();

/**
 * The error codes TypeScript reports for `source` compiled as the file `file` (repository-relative)
 * of the project `config`: the program's own diagnostics (options, file list, rootDir) and the
 * probe's syntax and type errors. Needs `npm run build` (referenced projects' declarations).
 */
function probeErrors(config: string, file: string, source: string): { codes: number[]; text: string } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    config,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  );
  assert.ok(parsed, config);
  assert.deepEqual(parsed.errors, [], `${config} parses`);
  const probe = path.join(REPO_ROOT, file).split(path.sep).join('/');
  const host = ts.createCompilerHost(parsed.options, true);
  const isProbe = (name: string) => path.resolve(name).split(path.sep).join('/') === probe;
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    if (isProbe(name)) return ts.createSourceFile(name, source, language, true);
    const key = `${config} ${name} ${JSON.stringify(language)}`;
    const file = parsedFiles.get(key) ?? getSourceFile.call(host, name, language, ...rest);
    if (file) parsedFiles.set(key, file);
    return file;
  };
  host.fileExists = (name) => isProbe(name) || fileExists.call(host, name);
  host.readFile = (name) => (isProbe(name) ? source : readFile.call(host, name));
  const rootNames = parsed.fileNames.some(isProbe) ? parsed.fileNames : [...parsed.fileNames, probe];
  const program = ts.createProgram({ rootNames, options: parsed.options, projectReferences: parsed.projectReferences, host, oldProgram: programs.get(config) });
  programs.set(config, program);
  const probeFile = program.getSourceFile(probe);
  assert.ok(probeFile, `${file} is in the program`);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(probeFile),
    ...program.getSemanticDiagnostics(probeFile),
  ];
  return {
    codes: [...new Set(diagnostics.map((d) => d.code))].sort(),
    text: diagnostics.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`).join('\n'),
  };
}

/** Asserts that `source`, as the file `file` of `config`, fails with `code`. */
function assertRefused(config: string, file: string, source: string, code: number): void {
  const { codes, text } = probeErrors(config, file, source);
  assert.ok(codes.includes(code), `${file} with ${JSON.stringify(source)} must fail with TS${code}; got:\n${text || 'no error'}`);
}

/** Asserts that `source`, as the file `file` of `config`, compiles without an error. */
function assertCompiles(config: string, file: string, source: string): void {
  assert.equal(probeErrors(config, file, source).text, '', `${file} with ${JSON.stringify(source)} compiles`);
}

/** A probe that imports `name` from `from` and uses it (a value, or a type with `type`). */
const uses = (name: string, from: string, type = false) =>
  type ? `import type { ${name} } from '${from}';\nexport type Used = ${name};\n` : `import { ${name} } from '${from}';\nexport const used = ${name};\n`;

/** A preload as it is written: electron's types bring Node's types into its program. */
const PRELOAD =
  "import { contextBridge } from 'electron';\nimport type { FieldbookApi } from '../ipc/contract';\nexport const expose = (api: FieldbookApi) => contextBridge.exposeInMainWorld('fieldbook', api);\n";

/**
 * Each room's rule: a probe that keeps it (compiles) and probes that break it, with the error
 * each must fail with: TS2306 file is not a module (a `paths` entry sends the import to
 * build/typescript/forbidden-module.d.ts or main/engine/forbidden-module.d.ts), TS2307 cannot
 * find module, TS6059 file not under rootDir, TS6307 file not in the project's file list.
 */
const RULES: { rule: string; project: string; file: string; keeps: string; breaks: [source: string, code: number, file?: string][] }[] = [
  {
    rule: 'the engine imports neither electron nor the app, CLI, IPC or Electron shell',
    project: ENGINE_PROJECT,
    file: 'main/engine/src/boundary-probe.ts',
    keeps:
      "import * as fs from 'node:fs';\nimport Database from 'better-sqlite3';\nimport { FieldbookError } from './errors';\nexport const used = [fs, Database, FieldbookError];\n",
    breaks: [
      [uses('app', 'electron'), 2306],
      [uses('IpcMain', 'electron/main', true), 2306],
      [uses('OPERATIONS', '../../ipc/contract'), 6307],
      [uses('fieldbookEngine', '../../fieldbook/fieldbook-engine'), 6059],
    ],
  },
  {
    rule: 'app code reaches the engine only through the package entries',
    project: APP_PROJECT,
    file: 'main/app/boundary-probe.ts',
    keeps:
      "import { openDocument } from '@fieldbook/engine';\nimport { readSchema } from '@fieldbook/engine/tooling';\nimport { OPERATIONS } from '../ipc/contract';\nexport const used = [openDocument, readSchema, OPERATIONS];\n",
    breaks: [
      [uses('openDocument', '../engine/src/documents/open'), 6307],
      [uses('openDocument', '@fieldbook/engine/src/documents/open'), 2307],
      [uses('tokenizeSql', '../main/engine/src/sqlite/sql-tokens'), 6307, 'test/boundary-probe.test.ts'],
    ],
  },
  {
    rule: 'the preload imports only electron and the IPC contract',
    project: PRELOAD_PROJECT,
    file: 'main/electron/preload.ts',
    keeps: PRELOAD,
    breaks: [
      [PRELOAD + uses('AppCore', '../app/app-core'), 6307],
      [PRELOAD + uses('readFileSync', 'node:fs'), 2306],
      [PRELOAD + uses('join', 'path'), 2306],
      [PRELOAD + uses('Database', 'better-sqlite3', true), 2306],
    ],
  },
  {
    rule: 'the renderer imports no Node built-in, no electron, nothing of main/ but the IPC contract',
    project: RENDERER_PROJECT,
    file: 'renderer/src/boundary-probe.tsx',
    keeps:
      "import { useState } from 'react';\nimport type { WindowDocument } from '../../main/ipc/contract';\nexport function Probe(props: { document: WindowDocument }) {\n  const [name] = useState(props.document.name);\n  return <p>{name}</p>;\n}\n",
    breaks: [
      // No Node built-in, also when a package whose types reference Node's is in the program (vite's do).
      [uses('readFileSync', 'node:fs'), 2307],
      [uses('UserConfig', 'vite', true) + uses('readFileSync', 'node:fs'), 2307],
      [uses('readFileSync', 'fs'), 2307],
      [uses('ipcRenderer', 'electron'), 2306],
      [uses('openDocument', '@fieldbook/engine'), 2306],
      [uses('AppCore', '../../main/app/app-core'), 6059],
    ],
  },
];

for (const { rule, project, file, keeps, breaks } of RULES) {
  test(`compiler: ${rule}`, () => {
    assertCompiles(project, file, keeps);
    for (const [source, code, at] of breaks) assertRefused(project, at ?? file, source, code);
  });
}

test('no file outside main/engine names a file inside it (its declarations included): only the package entries reach the engine', () => {
  const engine = path.join(REPO_ROOT, 'main', 'engine');
  const files = ['main', 'test', 'scripts', 'bench', 'migrations', 'renderer'].flatMap((dir) => sourceFiles(path.join(REPO_ROOT, dir))).filter((f) => !isInside(f, engine));
  const violations = files
    .flatMap(importsOf)
    .filter((site) => isRelative(site.specifier) && isInside(resolveFrom(site), engine))
    .map(where);
  assert.deepEqual(violations, []);
});
