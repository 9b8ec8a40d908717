import { isOpen, type ReleaseRecord } from '../record/record';
import { readStatus } from './github-status-text';

/** The part of a deployment status the ledger reads back. */
export interface StatusSeen {
  id: number | bigint;
  state: string;
  description: string | null;
}

/**
 * The latest state of a release: the record it was begun as (from the payload), moved on by the newest
 * status Tollgate wrote. Statuses are compared by id, not by the order GitHub lists them in (which it does
 * not document), and statuses Tollgate did not write (an `inactive` GitHub added) are passed over. Steps,
 * events and approvals are not kept in GitHub and come back empty; a closed record's `finishedAt` is its
 * `updatedAt`, as the engine writes them.
 */
export function latestRecord(begun: ReleaseRecord, statuses: readonly StatusSeen[]): ReleaseRecord {
  let newest: { id: bigint; facts: NonNullable<ReturnType<typeof readStatus>> } | undefined;
  for (const status of statuses) {
    const facts = readStatus(status.state, status.description);
    const id = BigInt(status.id);
    if (facts && (!newest || id > newest.id)) newest = { id, facts };
  }
  if (!newest) return { ...begun };
  const { outcome, fromVersion, elapsedMs, reason } = newest.facts;
  const updatedAt = begun.startedAt + elapsedMs;
  const from = fromVersion === 'unknown' ? begun.fromVersion : fromVersion;
  const record: ReleaseRecord = { ...begun, outcome, fromVersion: from, reason, updatedAt };
  if (!isOpen(record)) record.finishedAt = updatedAt;
  return record;
}
