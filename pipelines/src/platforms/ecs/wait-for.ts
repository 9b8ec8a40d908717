import type { Clock } from '../../time/clock';
import { formatDuration } from '../../time/duration';

/** How an adapter waits for ECS or CodeDeploy to get somewhere: poll every `pollMs`, give up after `maxWaitMs`. */
export interface Waiting {
  clock: Clock;
  pollMs: number;
  maxWaitMs: number;
}

/** One look at the platform: done with a value, or not yet, saying how things stand. */
export type Look<T> = { done: true; value: T } | { done: false; standing: string };

/**
 * Looks until `look` says done, sleeping `pollMs` on the adapter's clock in between. Past `maxWaitMs` it
 * throws, saying what it waited for and how things last stood, so the engine can roll back and report it.
 */
export async function waitFor<T>(waiting: Waiting, what: string, look: () => Promise<Look<T>>): Promise<T> {
  const { clock, pollMs, maxWaitMs } = waiting;
  const giveUpAt = clock.now() + maxWaitMs;
  for (;;) {
    const seen = await look();
    if (seen.done) return seen.value;
    if (clock.now() >= giveUpAt) {
      throw new Error(`${what} did not happen within ${formatDuration(maxWaitMs)}: ${seen.standing}`);
    }
    await clock.sleep(pollMs);
  }
}
