import type { ReleaseRecord } from '../record/record';

export interface LedgerQuery {
  workload?: string;
  environment?: string;
  /** Newest first, at most this many. */
  limit?: number;
}

/**
 * Where releases are recorded as they happen: `begin` when a release starts (before anything moves),
 * `update` as it passes steps or is held, `finish` when it ends. GitHub Deployments in CI (a deployment
 * and its statuses), a JSON-lines file for local runs. A run killed mid-release leaves its record open,
 * which the next run closes.
 */
export interface Ledger {
  begin(record: ReleaseRecord): Promise<void>;
  update(record: ReleaseRecord): Promise<void>;
  finish(record: ReleaseRecord): Promise<void>;
  /** The latest state of each matching record, newest first. */
  list(query?: LedgerQuery): Promise<ReleaseRecord[]>;
}

export function selectRecords(records: readonly ReleaseRecord[], query: LedgerQuery = {}): ReleaseRecord[] {
  const matching = records.filter(
    (record) =>
      (query.workload === undefined || record.workload === query.workload) &&
      (query.environment === undefined || record.environment === query.environment),
  );
  const newestFirst = matching.sort((a, b) => b.startedAt - a.startedAt);
  return query.limit === undefined ? newestFirst : newestFirst.slice(0, query.limit);
}

/** The ledger could not record a release: exit code 4, with what did or did not move. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}
