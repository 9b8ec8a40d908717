import type { ReleaseRecord } from '../release/record';

export interface LedgerQuery {
  workload?: string;
  environment?: string;
  /** Newest first, at most this many. */
  limit?: number;
}

/** Where finished releases are recorded: GitHub Deployments in CI, a file for local runs. */
export interface Ledger {
  append(record: ReleaseRecord): Promise<void>;
  /** Matching records, newest first. */
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
