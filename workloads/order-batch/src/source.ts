import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from './records';

export type RecordKind = 'orders' | 'payments';

/** Where a day's exports come from. The file source serves local runs; an S3 source would fit the same port. */
export interface ReconciliationSource {
  read(kind: RecordKind, date: string): Promise<{ name: string; text: string }>;
}

/** Reads `<dir>/<date>/orders.jsonl` and `<dir>/<date>/payments.jsonl`. A missing file is fatal. */
export class FileSource implements ReconciliationSource {
  constructor(private readonly dir: string) {}

  async read(kind: RecordKind, date: string): Promise<{ name: string; text: string }> {
    const name = join(this.dir, date, `${kind}.jsonl`);
    try {
      return { name, text: await readFile(name, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(`${name}: cannot read (${code ?? (error as Error).message})`);
    }
  }
}
