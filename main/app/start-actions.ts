import path = require('node:path');
import { createDocument, type Engine } from '@fieldbook/engine';
import type { SampleNotebook } from '../ipc/contract';
import type { Shell, WindowKey } from './shell';
import { sampleNotebookName, writeSampleNotebook } from './sample-notebook';
import { withoutFolders } from './without-folders';

/**
 * What the start screen (and the File menu) does: open notebooks the user picks, create a new
 * one, or open the sample notebook. Each notebook opens through the shell's normal path, in its
 * own window (`Shell.openDocumentWindow`, which opens it with AppCore.open: an outdated one is
 * upgraded there, with its backup and banner). Messages that reach the renderer name files,
 * never folders.
 */
export class StartActions {
  constructor(
    private readonly shell: Shell,
    private readonly engine: Engine,
    private readonly samplesFolder: string,
  ) {}

  /** The open dialog; every notebook chosen opens in its own window. Their file names (none when cancelled). */
  async openNotebooks(window: WindowKey | null): Promise<string[]> {
    const files = await this.shell.chooseOpenPaths(window, { title: 'Open Notebook' });
    for (const file of files) await this.shell.openDocumentWindow(file);
    return files.map((file) => path.basename(file));
  }

  /** Asks where (save dialog), creates a notebook at head there and opens it; its file name, null when cancelled. */
  async newNotebook(window: WindowKey | null): Promise<string | null> {
    const file = await this.shell.chooseSavePath(window, { title: 'New Notebook', defaultName: 'Notebook.fieldbook' });
    if (!file) return null;
    await this.folderless([file], async () => createDocument(file, { engine: this.engine }));
    await this.shell.openDocumentWindow(file);
    return path.basename(file);
  }

  /**
   * Writes the sample notebook into the samples folder (the user's documents) under a name no
   * file has, and opens it: it is a Fieldbook 1.0 notebook, so it opens upgraded, with a backup.
   * @throws what writeSampleNotebook throws (EXISTS, READ_ONLY, NO_SPACE...), without folder names
   */
  async openSampleNotebook(): Promise<SampleNotebook> {
    const file = await this.folderless([path.join(this.samplesFolder, sampleNotebookName(1))], async () => writeSampleNotebook(this.samplesFolder, this.engine));
    await this.shell.openDocumentWindow(file);
    return { name: path.basename(file) };
  }

  private async folderless<T>(paths: string[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'INTERNAL';
      throw Object.assign(new Error(withoutFolders(error instanceof Error ? error.message : String(error), paths)), { code });
    }
  }
}
