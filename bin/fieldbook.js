#!/usr/bin/env node
'use strict';
// The installed `fieldbook` command: runs the compiled CLI (built by `npm run build`, which
// `npm install` runs through the `prepare` script).
require('../dist/main/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
