import { type SeededRandom, seededRandom, seedFrom } from '../random/seeded-random';
import type { TraceQuery, TraceSample, TraceSource } from './ports';

/** How one version behaves: log-normal latency around `medianMs`, and a fault probability. */
export interface VersionProfile {
  medianMs: number;
  /** Log-space standard deviation; 0.5 is typical of web latency. */
  sigma: number;
  faultRate: number;
}

export interface SyntheticTrafficOptions {
  requestsPerSecond: number;
  seed: number;
  /** Share (0..1) of all traffic that `version` received at time `at`. */
  shareAt: (version: string, at: number) => number;
  profiles: Record<string, VersionProfile>;
}

const SLICE_MS = 1_000;

/**
 * Generates the traces a traffic split would produce: Poisson arrivals per second, routed by the
 * platform's weights at that second, latencies drawn from each version's profile. Each second is
 * seeded from (seed, version, second), so the same window always yields the same samples.
 */
export class SyntheticTraces implements TraceSource {
  private readonly failures: Error[] = [];

  constructor(private readonly options: SyntheticTrafficOptions) {}

  /** Changes how a version behaves in every window read after this (to inject a regression mid-release). */
  setProfile(version: string, profile: VersionProfile): void {
    this.options.profiles[version] = profile;
  }

  /** The next `times` reads throw `error`. */
  failReads(error: Error, times = 1): void {
    for (let i = 0; i < times; i += 1) this.failures.push(error);
  }

  async samples(query: TraceQuery): Promise<TraceSample[]> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const profile = this.options.profiles[query.version];
    if (!profile) return [];
    const samples: TraceSample[] = [];
    for (let second = Math.ceil(query.from / SLICE_MS) * SLICE_MS; second < query.to; second += SLICE_MS) {
      const random = seededRandom(seedFrom(this.options.seed, query.workload, query.version, second));
      const share = this.options.shareAt(query.version, second);
      const arrivals = random.poisson(this.options.requestsPerSecond * share);
      for (let i = 0; i < arrivals; i += 1) samples.push(drawSample(random, profile, second));
    }
    return samples;
  }
}

function drawSample(random: SeededRandom, profile: VersionProfile, second: number): TraceSample {
  const latencyMs = profile.medianMs * Math.exp(profile.sigma * random.normal());
  return {
    at: second + Math.floor(random.uniform() * SLICE_MS),
    latencyMs,
    fault: random.uniform() < profile.faultRate,
  };
}
