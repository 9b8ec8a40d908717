import { errorText } from '../errors/error-text';
import type { Ledger } from '../ledger/ledger';
import { describeTraffic, type Platform, type TrafficState } from '../platforms/port';
import type { ReleaseEvent } from '../record/events';
import { isOpen, type ReleaseOutcome, type ReleaseRecord } from '../record/record';
import type { Clock } from '../time/clock';
import { EventLog } from './events';
import { rollBack } from './platform-ops';

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
  const inFlight = inFlightVersion(before);
  let action: Settled['action'] = 'nothing';
  let traffic = describeTraffic(before);
  if (inFlight) {
    log.emit('reconcile', `${why}; found ${traffic}: rolling ${inFlight} back`);
    const ending = await rollBack(deps.platform, before.stable, log, { verdict: 'error', reason: why });
    action = ending.outcome === 'failed' ? 'failed' : 'rolled-back';
    traffic = action === 'failed' ? ending.reason : describeTraffic(await deps.platform.current());
  }
  const outcome: ReleaseOutcome =
    action === 'nothing' ? 'abandoned' : action === 'failed' ? 'failed' : 'rolled-back';
  const reason = `${why}; ${action === 'nothing' ? 'nothing was in flight' : action === 'failed' ? 'the rollback failed' : `rolled ${inFlight} back`}: ${traffic}`;
  const { closed, problems } = await closeOpenRecords(query, deps, { outcome, reason, events });
  return { action, traffic, closed, problems };
}

function inFlightVersion(traffic: TrafficState): string | undefined {
  if (traffic.deployment?.state === 'running') return traffic.deployment.revision.version;
  if (traffic.canary && traffic.canaryWeight > 0) return traffic.canary.version;
  return undefined;
}

async function closeOpenRecords(
  query: { workload: string; environment: string },
  deps: SettleDeps,
  end: { outcome: ReleaseOutcome; reason: string; events: ReleaseEvent[] },
): Promise<{ closed: string[]; problems: string[] }> {
  const closed: string[] = [];
  const problems: string[] = [];
  let open: ReleaseRecord[];
  try {
    open = (await deps.ledger.list(query)).filter(isOpen);
  } catch (error) {
    return { closed, problems: [`could not read the ledger for open releases: ${errorText(error)}`] };
  }
  for (const record of open) {
    const now = deps.clock.now();
    const verdict = end.outcome === 'abandoned' ? {} : { verdict: 'error' as const };
    const done: ReleaseRecord = {
      ...record,
      ...verdict,
      outcome: end.outcome,
      reason: end.reason,
      updatedAt: now,
      finishedAt: now,
      events: [...record.events, ...end.events],
    };
    try {
      await deps.ledger.finish(done);
      closed.push(record.id);
    } catch (error) {
      problems.push(`could not close ${record.id} in the ledger: ${errorText(error)}`);
    }
  }
  return { closed, problems };
}
