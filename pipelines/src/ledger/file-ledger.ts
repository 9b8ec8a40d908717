import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReleaseRecord } from '../release/record';
import { type Ledger, type LedgerQuery, selectRecords } from './ledger';

/** One JSON record per line, append-only, so a crash can at worst lose the line being written. */
export class FileLedger implements Ledger {
  constructor(readonly path: string) {}

  async append(record: ReleaseRecord): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(record)}\n`, 'utf8');
  }

  async list(query?: LedgerQuery): Promise<ReleaseRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => this.parseLine(line, index + 1));
    return selectRecords(records, query);
  }

  private parseLine(line: string, lineNumber: number): ReleaseRecord {
    try {
      return JSON.parse(line) as ReleaseRecord;
    } catch {
      throw new Error(`${this.path}:${lineNumber}: not a JSON release record`);
    }
  }
}
