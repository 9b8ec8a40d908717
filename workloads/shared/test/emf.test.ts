import { requestEmf } from '@securecart/testing/emf';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTAINER_DIMENSION_SETS,
  METRICS_NAMESPACE,
  RELEASE_DIMENSION,
  REQUEST_METRICS,
  SERVICE_DIMENSION,
} from '../metrics-namespace';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

describe('container request metrics (EMF)', () => {
  it('one line per request: Requests, Latency and Faults/ClientErrors, per release and per service', async () => {
    const [ok, notFound, fault] = await requestEmf('echo', '7.7.7');
    for (const doc of [ok, notFound, fault]) {
      expect(doc?._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: CONTAINER_DIMENSION_SETS,
          Metrics: expect.arrayContaining([
            { Name: REQUEST_METRICS.requests, Unit: 'Count' },
            { Name: REQUEST_METRICS.latency, Unit: 'Milliseconds' },
          ]),
        },
      ]);
      expect(doc).toMatchObject({ [SERVICE_DIMENSION]: 'echo', [RELEASE_DIMENSION]: '7.7.7', Requests: 1 });
      expect(doc?.Latency).toEqual(expect.any(Number));
    }
    expect(CONTAINER_DIMENSION_SETS).toEqual([['service', 'release'], ['service']]);
    expect(ok).not.toHaveProperty('Faults');
    expect(notFound).toMatchObject({ ClientErrors: 1 });
    expect(fault).toMatchObject({ Faults: 1 });
    expect(fault?._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({ Name: 'Faults', Unit: 'Count' });
  });
});
