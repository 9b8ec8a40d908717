import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorText } from '../errors/error-text';
import type { ReleaseRecord } from '../record/record';
import { type Ledger, LedgerError, type LedgerQuery, selectRecords } from './ledger';
import { applyOperation, type LedgerOperation } from './lifecycle';

interface Entry {
  op: LedgerOperation;
  record: ReleaseRecord;
}

/**
 * One JSON line per lifecycle step (`{"op":"begin","record":{…}}`), append-only, so a crash can at worst
 * tear the line being written; that torn last line is ignored, and cut off before the next write.
 */
export class FileLedger implements Ledger {
  constructor(readonly path: string) {}

  begin(record: ReleaseRecord): Promise<void> {
    return this.write('begin', record);
  }

  update(record: ReleaseRecord): Promise<void> {
    return this.write('update', record);
  }

  finish(record: ReleaseRecord): Promise<void> {
    return this.write('finish', record);
  }

  async list(query?: LedgerQuery): Promise<ReleaseRecord[]> {
    const { records } = await this.read();
    return selectRecords([...records.values()], query);
  }

  private async write(op: LedgerOperation, record: ReleaseRecord): Promise<void> {
    const { records, tornAt } = await this.read();
    applyOperation(records, op, record);
    try {
      await mkdir(dirname(this.path), { recursive: true });
      if (tornAt !== undefined) await truncate(this.path, tornAt);
      await appendFile(this.path, `${JSON.stringify({ op, record })}\n`, 'utf8');
    } catch (error) {
      throw new LedgerError(`could not write ${this.path}: ${errorText(error)}`);
    }
  }

  /** The records, and where a torn last line starts (in bytes) if there is one. */
  private async read(): Promise<{ records: Map<string, ReleaseRecord>; tornAt?: number }> {
    const text = await this.readText();
    const records = new Map<string, ReleaseRecord>();
    const lines = text.split('\n');
    const torn = text !== '' && !text.endsWith('\n');
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const isTornTail = torn && index === lines.length - 1;
      const entry = this.parseLine(line, index + 1, isTornTail);
      if (entry) applyOperation(records, entry.op, entry.record);
    }
    if (!torn) return { records };
    return { records, tornAt: Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8') };
  }

  private async readText(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw new LedgerError(`could not read ${this.path}: ${errorText(error)}`);
    }
  }

  private parseLine(line: string, lineNumber: number, isTornTail: boolean): Entry | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (isTornTail) return undefined;
      throw new LedgerError(`${this.path}:${lineNumber}: not a JSON release record`);
    }
    if (isEntry(parsed)) return parsed;
    const hint = isRecord(parsed) ? ' (written by a Tollgate before 0.2; move the file aside)' : '';
    throw new LedgerError(`${this.path}:${lineNumber}: not a ledger entry${hint}`);
  }
}

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    (entry.op === 'begin' || entry.op === 'update' || entry.op === 'finish') &&
    isRecord(entry.record)
  );
}

function isRecord(value: unknown): value is ReleaseRecord {
  const record = value as Partial<ReleaseRecord> | null;
  return typeof record === 'object' && record !== null && typeof record.id === 'string';
}
