/** One raw sample of a metric, at cloud time. */
export interface MetricDatum {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  value: number;
  unit?: string;
  /** Cloud time, ms since the epoch. */
  at: number;
  /**
   * The account the sample belongs to, when the sink knows it (an EMF line in a workload's log group);
   * absent for metrics a platform vends without saying whose they are, which match every account.
   */
  account?: string;
}

/** What identifies one metric stream: namespace, name and the exact set of dimensions. */
export interface MetricIdentity {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

interface Sample {
  at: number;
  value: number;
  unit?: string;
  account?: string;
}

interface Stream {
  identity: MetricIdentity;
  samples: Sample[];
}

/** Samples older than this are dropped (CloudWatch keeps 1-minute data for 15 days; a local run is short). */
const RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Raw metric samples by stream. CloudWatch keeps raw values long enough to compute any statistic,
 * percentiles included, over any period; so does this store (within its retention).
 */
export class MetricStore {
  private readonly streams = new Map<string, Stream>();

  put(datum: MetricDatum): void {
    if (!Number.isFinite(datum.value)) return;
    const identity = { namespace: datum.namespace, name: datum.name, dimensions: { ...datum.dimensions } };
    const key = streamKey(identity);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { identity, samples: [] };
      this.streams.set(key, stream);
    }
    const sample: Sample = { at: datum.at, value: datum.value };
    if (datum.unit !== undefined) sample.unit = datum.unit;
    if (datum.account !== undefined) sample.account = datum.account;
    stream.samples.push(sample);
    if (stream.samples.length % 1024 === 0) this.prune(stream, datum.at);
  }

  /** The values of one stream in [from, to), for one account (samples without an account count for all). */
  values(
    identity: MetricIdentity,
    from: number,
    to: number,
    options: { account?: string; unit?: string } = {},
  ): number[] {
    const stream = this.streams.get(streamKey(identity));
    if (!stream) return [];
    return stream.samples
      .filter((s) => s.at >= from && s.at < to)
      .filter(
        (s) => options.account === undefined || s.account === undefined || s.account === options.account,
      )
      .filter((s) => options.unit === undefined || s.unit === options.unit)
      .map((s) => s.value);
  }

  /** Every stream of a namespace and metric name, whatever its dimensions (for Metrics Insights). */
  streamsOf(namespace: string, name: string): MetricIdentity[] {
    return [...this.streams.values()]
      .map((stream) => stream.identity)
      .filter((identity) => identity.namespace === namespace && identity.name === name);
  }

  private prune(stream: Stream, now: number): void {
    const oldest = now - RETENTION_MS;
    const kept = stream.samples.filter((s) => s.at >= oldest);
    stream.samples.splice(0, stream.samples.length, ...kept);
  }
}

export function streamKey(identity: MetricIdentity): string {
  const dimensions = Object.entries(identity.dimensions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`);
  return [identity.namespace, identity.name, ...dimensions].join('\u0000');
}
