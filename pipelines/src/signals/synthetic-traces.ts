import { type SeededRandom, seededRandom, seedFrom } from '../random/seeded-random';
import type { TraceSample, TraceSource, TraceTiming, TraceWindow } from './ports';

/** How one version behaves: log-normal latency around `medianMs`, and a fault probability. */
export interface VersionProfile {
  medianMs: number;
  /** Log-space standard deviation; 0.5 is typical of web latency. */
  sigma: number;
  faultRate: number;
}

/** When traces become readable and how untidy reads are, as with X-Ray's indexing and paging. */
export interface TraceArrival {
  /** Each trace becomes visible a seeded uniform delay in [minDelayMs, maxDelayMs] after its request. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Share (0..1) of traces that every read containing them returns twice. */
  duplicateShare?: number;
  /** Return each read in a seeded random order instead of time order. */
  shuffle?: boolean;
}

export interface SyntheticTrafficOptions {
  requestsPerSecond: number;
  seed: number;
  /** Share (0..1) of all traffic that `version` received at time `at`. */
  shareAt: (version: string, at: number) => number;
  profiles: Record<string, VersionProfile>;
  /** The current time: a read returns only traces visible by then. Without it every trace is visible. */
  now?: () => number;
  /** Default: every trace visible at once, `{ minDelayMs: 0, maxDelayMs: 0 }`. */
  arrival?: TraceArrival;
  /** What the source tells cursors about its lateness. Default `{ settleMs: 0, overlapMs: 0 }`. */
  timing?: TraceTiming;
}

/** A generated trace, with what decides whether and how often a read returns it. */
interface Generated {
  sample: TraceSample;
  visibleAt: number;
  duplicated: boolean;
}

const SLICE_MS = 1_000;
const NO_DELAY: TraceArrival = { minDelayMs: 0, maxDelayMs: 0 };

/**
 * Generates the traces a traffic split would produce: Poisson arrivals per second, routed by the
 * platform's weights at that second, latencies drawn from each version's profile. Each second is
 * seeded from (seed, workload, version, second) and always makes the same draws per trace, so a
 * trace is the same whatever window reads it, and the arrival settings only decide when it shows.
 */
export class SyntheticTraces implements TraceSource {
  readonly timing: TraceTiming;
  private readonly failures: Error[] = [];
  private readonly arrival: TraceArrival;
  private readonly now: () => number;

  constructor(private readonly options: SyntheticTrafficOptions) {
    this.timing = options.timing ?? { settleMs: 0, overlapMs: 0 };
    this.arrival = options.arrival ?? NO_DELAY;
    this.now = options.now ?? (() => Number.POSITIVE_INFINITY);
  }

  /** Changes how a version behaves in every window read after this (to inject a regression mid-release). */
  setProfile(version: string, profile: VersionProfile): void {
    this.options.profiles[version] = profile;
  }

  /** The next `times` reads throw `error`. */
  failReads(error: Error, times = 1): void {
    for (let i = 0; i < times; i += 1) this.failures.push(error);
  }

  async read(window: TraceWindow): Promise<TraceSample[]> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const profile = this.options.profiles[window.version];
    if (!profile) return [];
    const now = this.now();
    const samples: TraceSample[] = [];
    // Whole seconds are generated and then cut to the window, so unaligned windows tile exactly.
    for (let second = Math.floor(window.from / SLICE_MS) * SLICE_MS; second < window.to; second += SLICE_MS) {
      for (const { sample, visibleAt, duplicated } of this.second(window, profile, second)) {
        if (sample.at < window.from || sample.at >= window.to || visibleAt > now) continue;
        samples.push(sample);
        if (duplicated) samples.push({ ...sample });
      }
    }
    if (!this.arrival.shuffle) return samples.sort((a, b) => a.at - b.at);
    const { workload, version, from, to } = window;
    return shuffle(
      samples,
      seededRandom(seedFrom(this.options.seed, 'order', workload, version, from, to, now)),
    );
  }

  private second(window: TraceWindow, profile: VersionProfile, second: number): Generated[] {
    const { seed, requestsPerSecond, shareAt } = this.options;
    const random = seededRandom(seedFrom(seed, window.workload, window.version, second));
    const arrivals = random.poisson(requestsPerSecond * shareAt(window.version, second));
    return Array.from({ length: arrivals }, () => this.generate(random, profile, second));
  }

  /** Always the same number of draws, so neither the profile nor the arrival shifts later traces. */
  private generate(random: SeededRandom, profile: VersionProfile, second: number): Generated {
    const at = second + Math.floor(random.uniform() * SLICE_MS);
    const latencyMs = profile.medianMs * Math.exp(profile.sigma * random.normal());
    const fault = random.uniform() < profile.faultRate;
    const traceId = `1-${hex(Math.floor(at / 1_000))}-${hex(word(random))}${hex(word(random))}${hex(word(random))}`;
    const { minDelayMs, maxDelayMs, duplicateShare = 0 } = this.arrival;
    const visibleAt = at + minDelayMs + random.uniform() * (maxDelayMs - minDelayMs);
    const duplicated = random.uniform() < duplicateShare;
    return { sample: { traceId, at, latencyMs, fault }, visibleAt, duplicated };
  }
}

function word(random: SeededRandom): number {
  return Math.floor(random.uniform() * 2 ** 32);
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** Fisher–Yates, in place. */
function shuffle<T>(items: T[], random: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.uniform() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
