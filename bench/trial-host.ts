/**
 * What a trial process does first, before it loads anything else (trial.ts imports it first):
 * enable the compile cache as bin/fieldbook.js does, in FIELDBOOK_COMPILE_CACHE (the bench's).
 */
import { defaultCompileCacheDir, enableCompileCache } from '@fieldbook/engine/compile-cache';

const cache = enableCompileCache(process.env.FIELDBOOK_COMPILE_CACHE || defaultCompileCacheDir('Fieldbook'));
if (cache.status === 'failed') throw new Error(`the compile cache could not be enabled: ${cache.message}`);
