/** The fieldbook package: the document engine (plain Node). The Electron shell lives beside it. */
export * from './engine';
