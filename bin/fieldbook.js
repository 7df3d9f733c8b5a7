#!/usr/bin/env node
'use strict';
// The installed `fieldbook` command: runs the compiled CLI (built by `npm run build`, which
// `npm install` runs through the `prepare` script).
// A V8 code cache (the engine's compile-cache: Node's own on 22.1+), so that a command compiles
// the CLI's JavaScript once per version rather than in every process. FIELDBOOK_COMPILE_CACHE
// names another folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const compileCache = require('@fieldbook/engine/compile-cache');
compileCache.enableCompileCache(process.env.FIELDBOOK_COMPILE_CACHE || compileCache.defaultCompileCacheDir('Fieldbook'));
// Standard output is the CLI's own (main/cli/terminal.ts): a reader that stops early
// (`fieldbook history | head`) is not an error there.
// It ends with process.exit once its output is written (exitWhenWritten says why).
const cli = require('../dist/main/cli/main.js');
cli.main(process.argv.slice(2)).then(cli.exitWhenWritten);
