import type { FieldbookApi } from '../../main/ipc/contract';

declare global {
  interface Window {
    /**
     * The app's API, defined before the page runs: by Electron's preload, or by the test
     * bridge's client script. (Opened anywhere else the page has none; api.ts checks.)
     */
    readonly fieldbook: FieldbookApi;
  }
}

export {};
