/**
 * The package's `main`: in Electron's main process it starts the desktop app; anywhere else
 * (`require('fieldbook')` by path, plain Node) it is the engine library. Importing the library
 * never loads electron.
 */
const inElectronMain = Boolean(process.versions.electron) && (process as NodeJS.Process & { type?: string }).type === 'browser';

if (inElectronMain) {
  // Node's code cache (Electron 40 runs Node 24): the app compiles its main-process JavaScript once per version, not at every start.
  const { app } = require('electron') as typeof import('electron');
  const { enableCompileCache } = require('@fieldbook/engine/compile-cache') as typeof import('@fieldbook/engine/compile-cache');
  const path = require('node:path') as typeof import('node:path');
  enableCompileCache(path.join(app.getPath('userData'), 'compile-cache'));
}

module.exports = inElectronMain ? require('./main') : require('../index');
