/** A metric sample an EMF document declares: its time is the document's own `_aws.Timestamp` (REAL ms). */
export interface EmfDatum {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  value: number;
  unit?: string;
  realEpochMs: number;
}

interface Directive {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

/**
 * The samples CloudWatch extracts from one log line in the embedded metric format: for each
 * `_aws.CloudWatchMetrics` directive, each metric it names, each dimension set, one sample per value
 * (a metric's member may be a number or an array of numbers). A line that is not an EMF document
 * yields nothing; so does a directive or dimension set CloudWatch would reject (a dimension without a
 * string value, a metric without a numeric value), while the rest of the document still counts.
 */
export function emfData(line: string, fallbackRealMs: number): EmfDatum[] {
  const document = parseObject(line);
  const meta = document?._aws;
  if (!document || !isObject(meta) || !Array.isArray(meta.CloudWatchMetrics)) return [];
  const realEpochMs = typeof meta.Timestamp === 'number' ? meta.Timestamp : fallbackRealMs;
  const data: EmfDatum[] = [];
  for (const directive of meta.CloudWatchMetrics as Directive[]) {
    if (!isObject(directive) || typeof directive.Namespace !== 'string') continue;
    const sets = dimensionSets(directive.Dimensions, document);
    for (const metric of Array.isArray(directive.Metrics) ? directive.Metrics : []) {
      if (!isObject(metric) || typeof metric.Name !== 'string') continue;
      const values = numbers(document[metric.Name]);
      const unit = typeof metric.Unit === 'string' ? metric.Unit : undefined;
      for (const dimensions of sets) {
        for (const value of values) {
          const datum: EmfDatum = {
            namespace: directive.Namespace,
            name: metric.Name,
            dimensions,
            value,
            realEpochMs,
          };
          if (unit !== undefined) datum.unit = unit;
          data.push(datum);
        }
      }
    }
  }
  return data;
}

/** The dimension sets whose every dimension has a string value at the document's root. */
function dimensionSets(declared: unknown, document: Record<string, unknown>): Record<string, string>[] {
  if (!Array.isArray(declared)) return [];
  const sets: Record<string, string>[] = [];
  for (const set of declared) {
    if (!Array.isArray(set)) continue;
    const entries = set.map((name) => [name, document[String(name)]] as const);
    if (entries.every(([name, value]) => typeof name === 'string' && typeof value === 'string')) {
      sets.push(Object.fromEntries(entries) as Record<string, string>);
    }
  }
  return sets;
}

function numbers(value: unknown): number[] {
  const all = Array.isArray(value) ? value : [value];
  return all.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function parseObject(line: string): Record<string, unknown> | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
