import type { EntryPoint, TrafficStats } from './entry-point';
import { scenarioFor } from './scenarios/workload-scenarios';
import { seededRandom } from './seeded-random';
import { type CallOutcome, sendCall } from './send-call';

export interface TrafficOptions {
  /** The SecureCart workload whose requests to send (`product-search`, `payments`, …). */
  workload: string;
  entry: EntryPoint;
  /** Steady real rate. */
  requestsPerSecond: number;
  /** Replays the same request mix. */
  seed?: number;
  /** Share (0–1) of a client's mistakes, answered 4xx; default 0.02 (payments: always none). */
  clientErrorShare?: number;
  /** At most this many requests wait for an answer; beyond, requests are skipped, not queued. */
  maxInFlight?: number;
  requestTimeoutMs?: number;
  /** How long stop() waits for answers still in flight before it aborts them. */
  stopGraceMs?: number;
}

export interface Traffic {
  /** Stops sending, waits (bounded) for answers in flight, and returns what happened. */
  stop(): Promise<TrafficStats>;
  /** The counts so far. */
  stats(): TrafficStats;
}

/** 2 %: a realistic trickle of client mistakes, far below every gate that counts 4xx (see README). */
export const DEFAULT_CLIENT_ERROR_SHARE = 0.02;

function validate(options: TrafficOptions): void {
  const rate = options.requestsPerSecond;
  if (!(rate > 0 && rate <= 1000))
    throw new Error(`requestsPerSecond must be above 0 and at most 1000, not ${rate}`);
  const share = options.clientErrorShare ?? DEFAULT_CLIENT_ERROR_SHARE;
  if (!(share >= 0 && share <= 1)) throw new Error(`clientErrorShare is from 0 to 1, not ${share}`);
}

/**
 * Sends a workload's realistic requests at a steady real rate: request i is due at start + i/rate (an open
 * model: a slow target does not slow the schedule), and at most `maxInFlight` wait for answers at once.
 */
export function startTraffic(options: TrafficOptions): Traffic {
  validate(options);
  const scenario = scenarioFor(options.workload, {
    random: seededRandom(options.seed ?? 1),
    clientErrorShare: options.clientErrorShare ?? DEFAULT_CLIENT_ERROR_SHARE,
  });
  if (scenario.entry !== options.entry.kind) {
    throw new Error(
      `${options.workload} is reached through an ${scenario.entry} entry point, not ${options.entry.kind}`,
    );
  }
  const maxInFlight = options.maxInFlight ?? 64;
  const intervalMs = 1000 / options.requestsPerSecond;
  const stats: TrafficStats = { sent: 0, ok: 0, failed: 0, skipped: 0, byStatus: {} };
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  const startedAt = performance.now();
  let due = 0;
  let timer: NodeJS.Timeout | undefined;

  const settle = (outcome: CallOutcome) => {
    const key = String(outcome);
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) stats.ok += 1;
    else stats.failed += 1;
  };

  const send = () => {
    if (inFlight.size >= maxInFlight) {
      stats.skipped += 1;
      return;
    }
    stats.sent += 1;
    const call = scenario.next();
    const pending = sendCall(options.entry, call, options.requestTimeoutMs ?? 10_000, stopping.signal)
      .then(settle, () => settle('network-error'))
      .finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  };

  const tick = () => {
    const elapsed = performance.now() - startedAt;
    while (due * intervalMs <= elapsed && !stopping.signal.aborted) {
      due += 1;
      send();
    }
    if (!stopping.signal.aborted) timer = setTimeout(tick, Math.max(1, due * intervalMs - elapsed));
  };
  tick();

  const snapshot = (): TrafficStats => ({ ...stats, byStatus: { ...stats.byStatus } });
  let stopped: Promise<TrafficStats> | undefined;
  return {
    stats: snapshot,
    stop() {
      stopped ??= (async () => {
        clearTimeout(timer);
        let graceTimer: NodeJS.Timeout | undefined;
        const grace = new Promise((resolve) => {
          graceTimer = setTimeout(resolve, options.stopGraceMs ?? 2_000);
        });
        await Promise.race([Promise.allSettled([...inFlight]), grace]);
        clearTimeout(graceTimer);
        stopping.abort();
        await Promise.allSettled([...inFlight]);
        return snapshot();
      })();
      return stopped;
    },
  };
}
