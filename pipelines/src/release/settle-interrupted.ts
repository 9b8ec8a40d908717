import type { Ledger } from '../ledger/ledger';
import { describeTraffic, type Platform, type TrafficState } from '../platforms/port';
import type { ReleaseEvent } from '../record/events';
import type { Clock } from '../time/clock';
import { closeOpenRecords } from './close-open-records';
import { EventLog } from './events';
import { rollBack } from './platform-ops';
import { inFlightRevision } from './reconcile';

/** What settling an interrupted release did: traffic as it stands now, and the records it closed. */
export interface Settled {
  /** `nothing`: no release was in flight; `failed`: the rollback failed and `traffic` says how it stands. */
  action: 'nothing' | 'rolled-back' | 'failed';
  traffic: string;
  closed: string[];
  /** Ledger records that could not be closed, and why. */
  problems: string[];
}

export interface SettleDeps {
  platform: Platform;
  ledger: Ledger;
  clock: Clock;
  onEvent?: (event: ReleaseEvent) => void;
}

/**
 * After a run that stopped mid-release (a cancelled or timed-out job whose process was killed): whatever
 * it left in flight is rolled back, never left split, and its open ledger records are closed saying so.
 * Unlike a new release's reconcile, a canary of any version is rolled back: nobody is there to finish it.
 */
export async function settleInterrupted(
  query: { workload: string; environment: string },
  deps: SettleDeps,
  why: string,
): Promise<Settled> {
  const events: ReleaseEvent[] = [];
  const log = new EventLog(deps.clock, events, deps.onEvent);
  const before = await deps.platform.current();
  const inFlight = inFlightRevision(before)?.version;
  const { action, traffic } = inFlight
    ? await rollBackInFlight(deps, log, before, inFlight, why)
    : { action: 'nothing' as const, traffic: describeTraffic(before) };
  const end = {
    nothing: { outcome: 'abandoned' as const, what: 'nothing was in flight' },
    'rolled-back': { outcome: 'rolled-back' as const, what: `rolled ${inFlight} back` },
    failed: { outcome: 'failed' as const, what: 'the rollback failed' },
  }[action];
  const reason = `${why}; ${end.what}: ${traffic}`;
  const verdict = end.outcome === 'abandoned' ? {} : { verdict: 'error' as const };
  const closing = await closeOpenRecords(deps, query, { outcome: end.outcome, reason, events, ...verdict });
  return { action, traffic, closed: closing.closed.map((record) => record.id), problems: closing.problems };
}

async function rollBackInFlight(
  deps: SettleDeps,
  log: EventLog,
  before: TrafficState,
  inFlight: string,
  why: string,
): Promise<Pick<Settled, 'action' | 'traffic'>> {
  log.emit('reconcile', `${why}; found ${describeTraffic(before)}: rolling ${inFlight} back`);
  const ending = await rollBack(deps.platform, before.stable, log, { verdict: 'error', reason: why });
  if (ending.outcome === 'failed') return { action: 'failed', traffic: ending.reason };
  return { action: 'rolled-back', traffic: describeTraffic(await deps.platform.current()) };
}
