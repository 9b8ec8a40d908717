import type { TelemetrySink } from '../../../src/telemetry/sink';

type Datum = Parameters<TelemetrySink['metric']>[0];

/** A sink that keeps what it is given, for assertions: the edge the Lambda service publishes to. */
export class RecordingSink implements TelemetrySink {
  readonly documents: Record<string, unknown>[] = [];
  readonly lines: { logGroup: string; line: string; realEpochMs: number }[] = [];
  readonly data: Datum[] = [];

  segments(documents: readonly Record<string, unknown>[]): void {
    this.documents.push(...documents);
  }

  otlp(): void {
    throw new Error('a Lambda function sends no OTLP');
  }

  logLine(logGroup: string, line: string, realEpochMs: number): void {
    this.lines.push({ logGroup, line, realEpochMs });
  }

  metric(datum: Datum): void {
    this.data.push(datum);
  }

  /** The sum of one metric over the samples with exactly these dimensions. */
  sum(name: string, dimensions: Record<string, string>): number {
    return this.samples(name, dimensions).reduce((total, datum) => total + datum.value, 0);
  }

  samples(name: string, dimensions: Record<string, string>): Datum[] {
    const key = JSON.stringify(Object.entries(dimensions).sort());
    return this.data.filter(
      (datum) =>
        datum.namespace === 'AWS/Lambda' &&
        datum.name === name &&
        JSON.stringify(Object.entries(datum.dimensions).sort()) === key,
    );
  }
}
