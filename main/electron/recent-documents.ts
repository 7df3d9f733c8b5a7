import fs = require('node:fs');
import path = require('node:path');

/** The most recently opened documents, kept in `<userData>/recent-documents.json` (newest first, at most 10). */
export class RecentDocuments {
  private readonly file: string;

  constructor(userData: string) {
    this.file = path.join(userData, 'recent-documents.json');
  }

  list(): string[] {
    try {
      const items = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(items) ? items.filter((i): i is string => typeof i === 'string' && fs.existsSync(i)) : [];
    } catch {
      return [];
    }
  }

  add(file: string): void {
    const items = [file, ...this.list().filter((f) => f !== file)].slice(0, 10);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(items, null, 2));
  }

  clear(): void {
    fs.rmSync(this.file, { force: true });
  }
}
