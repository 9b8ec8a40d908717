import { errorText } from '../errors/error-text';
import { LedgerError } from '../ledger/ledger';
import { describeTraffic, type TrafficState } from '../platforms/port';
import { EXIT, type ExitCode, exitCodeFor } from '../record/exit-codes';
import type { ReleaseRecord } from '../record/record';
import { closeOpenRecords } from './close-open-records';
import type { Release } from './context';
import type { Ending } from './platform-ops';

/** What a release left: its record, where its reports are, and anything that could not be written. */
export interface ReleaseResult {
  record: ReleaseRecord;
  reports: string[];
  /** Reports or ledger writes that failed; the release itself ended as `record` says. */
  problems: string[];
  exitCode: ExitCode;
}

/** Opens the record before anything moves; a ledger that refuses it stops the release right there. */
export async function beginRecord(release: Release): Promise<void> {
  try {
    await release.deps.ledger.begin(release.record);
  } catch (error) {
    throw new LedgerError(
      `could not record the start of ${release.record.id}, so nothing was released: ${errorText(error)}`,
    );
  }
}

/**
 * Keeps the open record current at step boundaries. A ledger hiccup here does not stop a release that
 * the platform is already carrying; it is noted, and the end is recorded (or refused) as usual.
 */
export async function recordProgress(release: Release, what: string): Promise<void> {
  const { record, deps, log } = release;
  record.updatedAt = deps.clock.now();
  try {
    await deps.ledger.update(record);
  } catch (error) {
    log.emit('failed', `could not record progress (${what}) in the ledger: ${errorText(error)}`);
  }
}

/**
 * Closes records that earlier runs left open: their runs stopped without finishing, and this run has
 * just found (and reconciled) what they left on the platform.
 */
export async function closeAbandoned(release: Release, traffic: TrafficState, keep?: string): Promise<void> {
  const { deps, log, record } = release;
  const query = { workload: record.workload, environment: record.environment };
  const reason = `its run stopped before finishing; when ${record.id} started the platform showed ${describeTraffic(traffic)}`;
  const { closed, problems } = await closeOpenRecords(deps, query, { outcome: 'abandoned', reason }, [
    record.id,
    keep,
  ]);
  for (const { id, was } of closed) log.emit('reconcile', `closed ${id} (${was}) as abandoned`);
  for (const problem of problems) log.emit('failed', problem);
}

/**
 * Ends the release: the record takes the ending, the reports are written first, then the ledger records
 * the end (a held release stays open for approval). The outcome never changes because a write failed;
 * a ledger that cannot record it makes the exit code 4.
 */
export async function concludeRelease(release: Release, ending: Ending): Promise<ReleaseResult> {
  const { record, deps } = release;
  const now = deps.clock.now();
  Object.assign(record, ending, { updatedAt: now });
  if (ending.outcome !== 'held') record.finishedAt = now;
  const problems: string[] = [];
  let reports: string[] = [];
  try {
    reports = (await deps.publish?.(record)) ?? [];
  } catch (error) {
    problems.push(`could not write the report: ${errorText(error)}`);
  }
  let exitCode = exitCodeFor(record);
  try {
    await (ending.outcome === 'held' ? deps.ledger.update(record) : deps.ledger.finish(record));
  } catch (error) {
    problems.push(`${record.outcome}, but the ledger could not record it: ${errorText(error)}`);
    exitCode = EXIT.unrecorded;
  }
  return { record, reports, problems, exitCode };
}
