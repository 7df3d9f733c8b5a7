// ESLint for the whole repository (flat config): JavaScript's and typescript-eslint's recommended
// rules everywhere, React's hook rules in the renderer, and nothing that is Prettier's business
// (eslint-config-prettier turns formatting rules off: `npm run format` owns layout).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node's built-ins by either name (`node:fs`, `fs`, `fs/promises`), and papaparse: the CommonJS modules imported with `import x = require()`. */
const COMMONJS_MODULES = `/^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')}|papaparse)$/`;

export default tseslint.config(
  { ignores: ['dist/', 'main/engine/dist/', 'main/engine/dist-test/', 'release/', 'test-artifacts/', '**/node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // The engine, the CLI and the benchmarks load modules with require() where they are first
      // needed, on purpose: start-up time is a benchmark figure (see lazy-index.ts).
      '@typescript-eslint/no-require-imports': 'off',
      // Unused names are mistakes, except deliberate placeholders (`_event`) and rest siblings.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // A CommonJS module (Node's built-ins, papaparse) is imported as `import fs = require('node:fs')`:
    // compiled with esModuleInterop, `import * as fs` copies the module into a new object of
    // getters in every file that imports it (__importStar), which cost `fieldbook info` about
    // 2% of its instructions and each call through it a getter.
    files: ['**/*.ts'],
    ignores: ['renderer/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `ImportDeclaration[importKind!='type'][source.value=${COMMONJS_MODULES}] > ImportNamespaceSpecifier`,
          message: "Import a CommonJS module as `import name = require('module')`: `import * as` copies it (esModuleInterop's __importStar).",
        },
      ],
    },
  },
  {
    // The build scripts and the CLI's launcher are CommonJS run by Node as they are.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs['recommended-latest'].rules,
  },
  prettier,
);
