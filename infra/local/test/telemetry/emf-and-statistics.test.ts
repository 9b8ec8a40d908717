import { describe, expect, it } from 'vitest';
import { emfData } from '../../src/telemetry/emf';
import { createTelemetrySink, createTelemetryStores } from '../../src/telemetry/sink';
import { statistic } from '../../src/telemetry/statistics';
import { virtualCloud } from './cloud-clock';

describe('EMF extraction', () => {
  it('extracts one sample per value, per metric, per dimension set, with the unit', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1_772_445_600_123,
        CloudWatchMetrics: [
          {
            Namespace: 'SecureCart',
            Dimensions: [['service', 'release'], ['service']],
            Metrics: [
              { Name: 'Latency', Unit: 'Milliseconds' },
              { Name: 'Requests', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'checkout',
      release: '1.4.0',
      Latency: [12, 30.5],
      Requests: 1,
      note: 'not a metric',
    });
    const both = { service: 'checkout', release: '1.4.0' };
    const service = { service: 'checkout' };
    const at = { namespace: 'SecureCart', realEpochMs: 1_772_445_600_123 };
    expect(emfData(line, 0)).toEqual([
      { ...at, name: 'Latency', dimensions: both, value: 12, unit: 'Milliseconds' },
      { ...at, name: 'Latency', dimensions: both, value: 30.5, unit: 'Milliseconds' },
      { ...at, name: 'Latency', dimensions: service, value: 12, unit: 'Milliseconds' },
      { ...at, name: 'Latency', dimensions: service, value: 30.5, unit: 'Milliseconds' },
      { ...at, name: 'Requests', dimensions: both, value: 1, unit: 'Count' },
      { ...at, name: 'Requests', dimensions: service, value: 1, unit: 'Count' },
    ]);
  });

  it('skips dimension sets without string values and metrics without numbers, keeps the rest', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 5,
        CloudWatchMetrics: [
          { Namespace: 'N', Dimensions: [['missing'], ['a'], []], Metrics: [{ Name: 'M' }, { Name: 'S' }] },
        ],
      },
      a: 'x',
      M: 2,
      S: 'text',
    });
    expect(emfData(line, 0)).toEqual([
      { namespace: 'N', name: 'M', dimensions: { a: 'x' }, value: 2, realEpochMs: 5 },
      { namespace: 'N', name: 'M', dimensions: {}, value: 2, realEpochMs: 5 },
    ]);
    expect(emfData('START RequestId: 1 Version: $LATEST', 0)).toEqual([]);
    expect(emfData('{"message":"plain structured log"}', 0)).toEqual([]);
  });

  it('puts EMF samples at cloud time in the log group account through the sink', () => {
    const { clock, start } = virtualCloud(60);
    const stores = createTelemetryStores();
    const sink = createTelemetrySink(stores, {
      clock,
      accountOfLogGroup: (group) =>
        group === '/ecs/securecart-staging-checkout' ? '111111111111' : undefined,
    });
    const line = JSON.stringify({
      _aws: {
        Timestamp: start + 1000,
        CloudWatchMetrics: [
          { Namespace: 'SecureCart', Dimensions: [['service']], Metrics: [{ Name: 'Requests' }] },
        ],
      },
      service: 'checkout',
      Requests: 1,
    });
    sink.logLine('/ecs/securecart-staging-checkout', line, start + 1000);
    const identity = { namespace: 'SecureCart', name: 'Requests', dimensions: { service: 'checkout' } };
    // One real second at scale 60 is one cloud minute.
    expect(
      stores.metrics.values(identity, start + 60_000, start + 60_001, { account: '111111111111' }),
    ).toEqual([1]);
    expect(
      stores.metrics.values(identity, start + 60_000, start + 60_001, { account: '222222222222' }),
    ).toEqual([]);
  });
});

describe('statistics over raw samples', () => {
  const values = Array.from({ length: 200 }, (_, i) => 200 - i);
  it.each([
    ['Sum', 20_100],
    ['SampleCount', 200],
    ['Average', 100.5],
    ['Minimum', 1],
    ['Maximum', 200],
    ['p99', 198],
    ['p50', 100],
    ['p99.9', 200],
    ['p0', 1],
    ['p100', 200],
  ])('%s', (stat, expected) => {
    expect(statistic(values, stat)).toBe(expected);
  });

  it('has no value for an empty period and refuses unknown statistics', () => {
    expect(statistic([], 'Sum')).toBeUndefined();
    expect(() => statistic([1], 'tm99')).toThrow(/unsupported statistic tm99/);
  });
});
