/** The app core's contract with its shell (the Electron main process, or the browser tests' bridge), and what it is made with. */
import type { FieldbookEngineSettings } from '../fieldbook/fieldbook-engine';
import type { Events } from '../ipc/contract';
import type { JobHost } from './jobs';

/** A window of the app (an Electron BrowserWindow, or a test client of the bridge). */
export type WindowKey = string;

/** A kind of file an open dialog offers: its name ("CSV files") and extensions without dots ("csv"; "*" for any). */
export interface FileFilter {
  name: string;
  extensions: string[];
}

/** What the app core needs from its shell (Electron, or the test bridge). */
export interface Shell {
  /**
   * Asks the user where to save; null when they cancel. A path that exists is answered only
   * after the user agreed to replace it (the dialog asks: Electron's save dialog does on macOS
   * and Windows, and on Linux with `showOverwriteConfirmation`); the app replaces only such a file.
   * `filters`: the kinds of file offered (default: notebooks).
   */
  chooseSavePath(window: WindowKey | null, options: { title: string; defaultName: string; filters?: FileFilter[] }): Promise<string | null>;
  /**
   * Asks which files to open (open dialog); none when they cancel. `window` null: no window is
   * focused. By default the files are notebooks and several may be chosen; `filters` offers
   * other kinds (a CSV file, an image to attach), `multiple: false` allows one.
   */
  chooseOpenPaths(window: WindowKey | null, options: { title: string; filters?: FileFilter[]; multiple?: boolean }): Promise<string[]>;
  /** Shows a file in the system file manager. */
  showItemInFolder(file: string): void;
  /** Opens a document in a new window (File ▸ Open, without the dialog). */
  openDocumentWindow(file: string): Promise<void>;
  send<E extends keyof Events>(window: WindowKey, event: E, payload: Events[E]): void;
  jobs: JobHost;
}

/** What an AppCore is made with: its shell and the engine settings its jobs rebuild the engine from. */
export interface AppCoreOptions {
  shell: Shell;
  /** Plain engine settings (they are sent to background jobs): migration roots, backup folder. */
  engineSettings: FieldbookEngineSettings;
  /** Where the app remembers which notebooks it found sound (VerifiedStates); null: nowhere, check on every open. */
  verifiedStatesFile?: string | null;
  /** Where Open Sample Notebook writes its notebook: the user's documents folder in the app. */
  samplesFolder: string;
}
