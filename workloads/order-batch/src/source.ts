import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportKey, type RecordKind } from './export-layout';
import { InputError } from './records';

export type { RecordKind } from './export-layout';

/** Where a day's exports come from: the S3 bucket when deployed (s3-source.ts), a directory locally. */
export interface ReconciliationSource {
  /** Where exports are read from, for logs (`s3://bucket`, `/path/to/exports`). */
  readonly location: string;
  read(kind: RecordKind, date: string): Promise<{ name: string; text: string }>;
}

/** The day's export does not exist (yet): fatal for the run, counted as a batch failure. */
export class MissingExportError extends InputError {
  constructor(
    readonly kind: RecordKind,
    readonly date: string,
    readonly where: string,
  ) {
    super(`no ${kind} export for ${date} in ${where}`);
    this.name = 'MissingExportError';
  }
}

/** The export is larger than the worker will hold in memory (EXPORT_MAX_BYTES). */
export class ExportTooLargeError extends InputError {
  constructor(
    readonly where: string,
    readonly maxBytes: number,
    size?: number,
  ) {
    super(
      `${where} is ${size === undefined ? 'larger than' : `${size} bytes, over`} the ${maxBytes}-byte limit ` +
        '(EXPORT_MAX_BYTES); split the export or raise the limit together with the task memory',
    );
    this.name = 'ExportTooLargeError';
  }
}

/** Reads `<dir>/orders/<date>.jsonl` and `<dir>/payments/<date>.jsonl` (the bucket's layout). */
export class FileSource implements ReconciliationSource {
  constructor(private readonly dir: string) {}

  get location(): string {
    return this.dir;
  }

  async read(kind: RecordKind, date: string): Promise<{ name: string; text: string }> {
    const name = join(this.dir, exportKey(kind, date));
    try {
      return { name, text: await readFile(name, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new MissingExportError(kind, date, name);
      throw new InputError(`${name}: cannot read (${code ?? (error as Error).message})`);
    }
  }
}
