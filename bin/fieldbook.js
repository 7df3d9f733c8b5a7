#!/usr/bin/env node
'use strict';
// The installed `fieldbook` command: runs the compiled CLI (built by `npm run build`, which
// `npm install` runs through the `prepare` script).
// A reader that stops early (`fieldbook history | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
require('../dist/main/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
