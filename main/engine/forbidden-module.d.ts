// Where tsconfig.json's `paths` sends the modules the engine must never import (`electron`): a
// script, not a module, so any import of them fails to compile with TS2306 "File ... is not a
// module". (A `paths` entry naming a file that does not exist would not do: TypeScript then falls
// back to node_modules and finds the real package.) Declares nothing; not part of the package.
