import type { ReleaseRecord } from '../release/record';
import { exitCodeFor } from '../release/record';

/** The machine-readable report: the whole record plus the exit code a caller will see. */
export function jsonReport(record: ReleaseRecord): string {
  return `${JSON.stringify({ schemaVersion: 1, exitCode: exitCodeFor(record), ...record }, null, 2)}\n`;
}
