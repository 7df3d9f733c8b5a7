/**
 * Development helper (test-only): serves the built renderer over the bridge with documents open,
 * to look at the app in a browser. Prints one address per document.
 *   node dist/test/bridge/serve.js FILE... (after `npm run build:renderer`)
 */
import os = require('node:os');
import path = require('node:path');
import { REPO_ROOT } from '../helpers/fixtures';
import { startBridge } from './bridge-server';

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  const bridge = await startBridge({
    rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'),
    engineSettings: { backupDir: path.join(os.tmpdir(), 'fieldbook-bridge-backups') },
    samplesFolder: path.join(os.tmpdir(), 'fieldbook-bridge-samples'),
  });
  for (const file of files) console.log(bridge.pageUrl(await bridge.open(file)));
  console.log(`start screen: ${bridge.pageUrl(bridge.newWindow())}#start`);
  console.log(`bridge at ${bridge.url} (token ${bridge.token}); Ctrl-C to stop`);
}

void main();
