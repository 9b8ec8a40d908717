import { errorText } from '../errors/error-text';
import type { Verdict } from '../judge/verdict';
import { describeTraffic, type Platform, type Revision } from '../platforms/port';
import type { ReleaseOutcome } from '../record/record';
import { CancelledError, untilAborted, withTimeout } from '../time/abortable';
import type { EventLog } from './events';

export interface Ending {
  outcome: Exclude<ReleaseOutcome, 'in-progress'>;
  verdict: Verdict;
  reason: string;
}

/**
 * A rollback must finish or say it did not, even if the platform hangs: two minutes where traffic is
 * rerouted or a deployment stopped, 45 where the stable version has to be deployed again (App Runner
 * updates take minutes and cannot be interrupted).
 */
function rollbackTimeout(platform: Platform): number {
  return platform.capabilities.rollback === 'redeploy' ? 45 * 60_000 : 120_000;
}

/**
 * Sends all traffic back to `stable`. If that fails too, the release ends `failed` and says exactly how
 * traffic may stand, because a split that nobody knows about is the one outcome we never allow.
 */
export async function rollBack(
  platform: Platform,
  stable: Revision,
  log: EventLog,
  cause: Omit<Ending, 'outcome'>,
): Promise<Ending> {
  try {
    await withTimeout(
      platform.rollback(stable),
      rollbackTimeout(platform),
      `rollback of ${platform.workload}`,
    );
    log.emit('rollback', `rolled back: ${await trafficNow(platform)}`, { weight: 0 });
    return { ...cause, outcome: 'rolled-back' };
  } catch (error) {
    const traffic = await trafficNow(platform);
    const reason =
      `${cause.reason}; rollback FAILED: ${errorText(error)}. Traffic may still be split: ${traffic}. ` +
      'Run the deploy again (it reconciles first) or roll back by hand.';
    log.emit('failed', reason);
    return { outcome: 'failed', verdict: 'error', reason };
  }
}

/** How traffic stands, in words, or that it could not be read: never a reason to throw. */
export async function trafficNow(platform: Platform): Promise<string> {
  try {
    return describeTraffic(await withTimeout(platform.current(), 120_000, 'reading the platform'));
  } catch (error) {
    return `unknown (could not read the platform: ${errorText(error)})`;
  }
}

/**
 * Runs a platform change; if it fails, or the release is cancelled while it waits, rolls back and says
 * what could not be done.
 */
export async function changeTraffic(
  platform: Platform,
  stable: Revision,
  log: EventLog,
  what: string,
  change: () => Promise<void>,
  signal?: AbortSignal,
): Promise<Ending | undefined> {
  try {
    await untilAborted(change(), signal);
    return undefined;
  } catch (error) {
    const reason =
      error instanceof CancelledError
        ? `${error.message} while trying to ${what}`
        : `could not ${what} of ${platform.workload}: ${errorText(error)}`;
    log.emit('failed', reason);
    return rollBack(platform, stable, log, { verdict: 'error', reason });
  }
}
