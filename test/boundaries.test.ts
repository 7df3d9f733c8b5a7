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
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
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
    sites.push({ file: path.relative(REPO_ROOT, file).split(path.sep).join('/'), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier: specifier.text, typeOnly });
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
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const ELECTRON_SHELL = path.join(REPO_ROOT, 'main', 'electron');
const RENDERER = path.join(REPO_ROOT, 'renderer');
const CONTRACT = path.join(REPO_ROOT, 'main', 'ipc', 'contract');

test('nothing outside main/electron imports electron or the Electron shell', () => {
  const files = [...sourceFiles(path.join(REPO_ROOT, 'main')).filter((f) => !isInside(f, ELECTRON_SHELL)), ...sourceFiles(path.join(REPO_ROOT, 'migrations'))];
  for (const folder of ['engine', 'app', 'ipc', 'models', 'cli']) {
    assert.ok(files.some((f) => isInside(f, path.join(REPO_ROOT, 'main', folder))), `main/${folder} has sources to check`);
  }
  const violations = files.flatMap(importsOf)
    .filter((site) => isElectron(site.specifier) || (isRelative(site.specifier) && isInside(resolveFrom(site), ELECTRON_SHELL)))
    .map(where);
  assert.deepEqual(violations, []);
});

test('compiled migrations require only Node built-ins (they ship detached, in resources/migrations)', () => {
  const compiled = path.join(REPO_ROOT, 'dist', 'migrations');
  const files = sourceFiles(compiled).filter((f) => /^\d{4}-.*\.js$/.test(path.basename(f)));
  assert.ok(files.length >= 6, `compiled migrations in ${compiled} (run npm run build)`);
  const violations = files.flatMap(importsOf).filter((site) => !isNodeBuiltin(site.specifier)).map(where);
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
      const isContract = target.replace(/\.(ts|js)$/, '') === CONTRACT;
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

test('the IPC contract imports nothing', () => {
  assert.deepEqual(importsOf(CONTRACT + '.ts').map(where), []);
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
  assert.deepEqual([...OPERATIONS].sort(), interfaceMembers('FieldbookApi').filter((m) => m !== 'on').sort());
  assert.equal(new Set(OPERATIONS).size, OPERATIONS.length, 'no duplicates');
});

test('the compiled preload requires only electron and exposes exactly the contract\'s operations and events', async () => {
  const file = path.join(REPO_ROOT, 'dist', 'main', 'electron', 'preload.js');
  assert.ok(fs.existsSync(file), `${file} (built by tsc -p tsconfig.preload.json in npm run build)`);
  assert.deepEqual(importsOf(file).filter((site) => site.specifier !== 'electron').map(where), []);

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
  const run = new vm.Script(`(function (exports, require, module) {${fs.readFileSync(file, 'utf8')}\n})`, { filename: file }).runInNewContext({}) as (e: unknown, r: unknown, m: unknown) => void;
  run(module.exports, sandboxRequire, module);

  assert.deepEqual([...exposed.keys()], ['fieldbook']);
  const api = exposed.get('fieldbook')!;
  assert.deepEqual(Object.keys(api).filter((k) => k !== 'on').sort(), [...OPERATIONS].sort(), 'the preload\'s operations are the contract\'s OPERATIONS');
  for (const operation of OPERATIONS) {
    await (api[operation] as (...args: unknown[]) => Promise<unknown>)('doc-1', 2);
    assert.deepEqual(invoked.at(-1), { channel: channel(operation), args: ['doc-1', 2] }, `${operation} goes to ${channel(operation)}`);
  }
  const on = api.on as (event: string, listener: () => void) => () => void;
  const events = interfaceMembers('Events');
  for (const event of events) assert.equal(typeof on(event, () => undefined), 'function');
  assert.deepEqual(listening, events.map((e) => channel(e as Parameters<typeof channel>[0])), 'every contract event can be listened to, on its channel');
  assert.throws(() => on('not-an-event', () => undefined), /unknown event/);
});
