import { errorText } from '../gates/alarm-gate';
import { describeTraffic, type Platform } from '../platforms/port';
import type { EventLog } from './events';
import type { ReleaseOutcome } from './record';

export interface Ending {
  outcome: ReleaseOutcome;
  verdict: 'pass' | 'fail' | 'inconclusive' | 'error';
  reason: string;
}

/**
 * Sends all traffic back to stable. If that fails too, the release ends `failed` and says exactly how
 * traffic may stand, because a split that nobody knows about is the one outcome we never allow.
 */
export async function rollBack(
  platform: Platform,
  log: EventLog,
  cause: Omit<Ending, 'outcome'>,
): Promise<Ending> {
  try {
    await platform.rollback();
    const after = await platform.current();
    log.emit('rollback', `rolled back: ${describeTraffic(after)}`, { weight: 0 });
    return { ...cause, outcome: 'rolled-back' };
  } catch (error) {
    const traffic = await platform
      .current()
      .then(describeTraffic, () => 'unknown (could not read the platform)');
    const reason =
      `${cause.reason}; rollback FAILED: ${errorText(error)}. Traffic may still be split: ${traffic}. ` +
      'Run the deploy again (it reconciles first) or roll back by hand.';
    log.emit('failed', reason);
    return { outcome: 'failed', verdict: 'error', reason };
  }
}

/** Runs a platform change; on failure rolls back and explains what could not be done. */
export async function changeTraffic(
  platform: Platform,
  log: EventLog,
  what: string,
  change: () => Promise<void>,
): Promise<Ending | undefined> {
  try {
    await change();
    return undefined;
  } catch (error) {
    const reason = `could not ${what} of ${platform.workload}: ${errorText(error)}`;
    log.emit('failed', reason);
    return rollBack(platform, log, { verdict: 'error', reason });
  }
}
