/** Time as the release engine sees it: injected so a 30-minute canary runs in milliseconds under test. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts, so a cancelled release reacts at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    }),
};

/**
 * A clock that only moves when someone sleeps on it. Sleeping advances time at once, and callbacks
 * registered with `at` fire when time passes them, so scenario tests can script "alarm fires at 7m".
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers: { at: number; run: () => void }[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.advance(Math.max(0, ms));
  }

  /** Runs `run` once the clock reaches `at` (absolute ms). */
  at(at: number, run: () => void): void {
    this.timers.push({ at, run });
    this.timers.sort((a, b) => a.at - b.at);
  }

  advance(ms: number): void {
    const target = this.current + ms;
    while (this.timers.length > 0 && (this.timers[0]?.at ?? Number.POSITIVE_INFINITY) <= target) {
      const timer = this.timers.shift();
      if (!timer) break;
      this.current = Math.max(this.current, timer.at);
      timer.run();
    }
    this.current = target;
  }
}
