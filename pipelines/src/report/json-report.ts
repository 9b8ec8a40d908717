import { exitCodeFor } from '../record/exit-codes';
import type { ReleaseRecord } from '../record/record';

/**
 * The machine-readable report: the whole record, whether it was simulated, and the exit code its outcome
 * maps to (the process exits 4 instead if the ledger could not record it; the outcome stays this).
 */
export function jsonReport(record: ReleaseRecord): string {
  const report = {
    schemaVersion: 2,
    simulated: record.backend === 'memory',
    exitCode: exitCodeFor(record),
    ...record,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
