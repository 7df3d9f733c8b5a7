/**
 * Why better-sqlite3 could not be loaded, when `error` (or an error it wraps as `cause`) says so,
 * as one line that ends with the fix (`npm rebuild better-sqlite3`; `npm ci` when the package
 * itself is missing); null for any other error. The cases: the package is not
 * installed ("Cannot find module 'better-sqlite3'"), its native binary is missing ("Could not
 * locate the bindings file", which a failed Electron rebuild leaves), it was built for another
 * runtime ("was compiled against a different Node.js version using NODE_MODULE_VERSION 143":
 * after `npm start`, which builds it for Electron), or it is no loadable library at all
 * (`ERR_DLOPEN_FAILED`: invalid ELF header, another architecture).
 */
export function nativeModuleFailure(error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const why = reason(e);
    if (why) return `better-sqlite3 cannot be loaded: ${why}; fix: ${why === NOT_INSTALLED ? 'npm ci' : 'npm rebuild better-sqlite3'} (in the Fieldbook folder)`;
  }
  return null;
}

const NOT_INSTALLED = 'the package is not installed';

function reason(error: Error): string | null {
  const code = (error as { code?: unknown }).code;
  const message = error.message;
  if (code === 'MODULE_NOT_FOUND' && /['"]better-sqlite3['"]/.test(message)) return NOT_INSTALLED;
  if (/Could not locate the bindings file/.test(message) && /better_sqlite3/.test(message)) return 'its native binary (better_sqlite3.node) is missing';
  const abi = /was compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(message);
  if (abi && /better_sqlite3/.test(message))
    return `its native binary was built for another runtime (NODE_MODULE_VERSION ${abi[1]}; this Node.js ${process.version} needs ${abi[2]}, e.g. after npm start built it for Electron)`;
  if (code === 'ERR_DLOPEN_FAILED' && /better_sqlite3/.test(message))
    return `its native binary cannot be loaded (${message.split('\n')[0]!.replace(/^.*better_sqlite3\.node:\s*/, '')})`;
  return null;
}
