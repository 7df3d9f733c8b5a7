/**
 * The package's `main`: in Electron's main process it starts the desktop app; anywhere else
 * (`require('fieldbook')` by path, plain Node) it is the engine library. Importing the library
 * never loads electron.
 */
const inElectronMain = Boolean(process.versions.electron) && (process as NodeJS.Process & { type?: string }).type === 'browser';

module.exports = inElectronMain ? require('./main') : require('../index');
