// The `node` types of the renderer and the preload (their tsconfig `typeRoots` point here): none.
// electron.d.ts and some packages' types carry `/// <reference types="node" />`; resolved here,
// that reference declares no Node module, so `import 'node:fs'` (or 'fs', 'path', ...) in a room
// without Node fails with TS2307 "Cannot find module" even when such a package is in the program.
