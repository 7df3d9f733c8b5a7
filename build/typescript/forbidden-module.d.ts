// Where the renderer's and the preload's tsconfig `paths` send the modules those rooms must never
// import (electron in the renderer, the engine and Node-only packages; anything but electron in
// the preload). This file is a script, not a module, so every such import fails to compile with
// TS2306 "File ... is not a module". Declares nothing.
