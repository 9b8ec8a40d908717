import type { QueryStatus } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PAGE_ITEMS, MAX_QUERY_LIMIT } from '../../src/signals/insights-query';
import { PERMISSIONS } from '../../src/signals/span-traces';
import { expectValidRequests, sentRequests } from '../aws/validated-mock';
import { query, S, SpanWorld, T0, throttling, traffic, WINDOW } from './span-fixtures';

const world = new SpanWorld();
const operationsSent = new Set<string>();

beforeEach(() => world.setUp());
afterEach(() => {
  expectValidRequests(world.stub, '@aws-sdk/client-cloudwatch-logs');
  for (const { operation } of sentRequests(world.stub)) operationsSent.add(operation);
});

describe('Logs Insights queries of the span source', () => {
  it('runs one Logs Insights query per window and waits for it: Scheduled, Running, Complete', async () => {
    const source = world.setUp({ completesOnPoll: 3 });
    world.fake.add(...traffic(5, T0 + S, 1000));
    world.clock.advance(180 * S);
    const samples = await source.read(WINDOW);
    expect(sentRequests(world.stub)).toEqual([
      { operation: 'StartQuery', input: query(T0, T0 + 60 * S) },
      { operation: 'GetQueryResults', input: { queryId: 'query-1', maxItems: 10_000 } },
      { operation: 'GetQueryResults', input: { queryId: 'query-1', maxItems: 10_000 } },
      { operation: 'GetQueryResults', input: { queryId: 'query-1', maxItems: 10_000 } },
    ]);
    const sent = sentRequests(world.stub)[0]?.input as { queryString: string };
    expect(sent.queryString).toContain(
      'startTimeUnixNano >= 1772445600000000000 and startTimeUnixNano < 1772445660000000000',
    );
    expect(world.clock.now()).toBe(T0 + 180 * S + 250 + 500);
    expect(samples).toHaveLength(5);
  });

  it('reads results past 10,000 rows page by page, keeping four fields per trace', async () => {
    const source = world.setUp();
    world.fake.add(...traffic(25_000, T0, 2));
    world.clock.advance(180 * S);
    const samples = await source.read(WINDOW);
    expect(sentRequests(world.stub).slice(1)).toEqual([
      { operation: 'GetQueryResults', input: { queryId: 'query-1', maxItems: 10_000 } },
      { operation: 'GetQueryResults', input: { queryId: 'query-1', maxItems: 10_000, nextToken: '10000' } },
      { operation: 'GetQueryResults', input: { queryId: 'query-1', maxItems: 10_000, nextToken: '20000' } },
    ]);
    expect(samples).toHaveLength(25_000);
    expect(new Set(samples.map((sample) => Object.keys(sample).sort().join(',')))).toEqual(
      new Set(['at,fault,latencyMs,traceId']),
    );
  });

  it.each<QueryStatus>(['Failed', 'Cancelled', 'Timeout', 'Unknown'])(
    'makes a query that ends %s an error',
    async (status) => {
      const source = world.setUp({ completesOnPoll: 2 });
      world.fake.add(...traffic(5, T0, 1000));
      world.fake.endNextQuery(status);
      world.clock.advance(180 * S);
      await expect(source.read(WINDOW)).rejects.toThrow(
        `the Logs Insights query for spans of checkout 1.4.0 ended ${status}`,
      );
      expect(sentRequests(world.stub).map((request) => request.operation)).toEqual([
        'StartQuery',
        'GetQueryResults',
        'GetQueryResults',
      ]);
    },
  );

  it('stops a query that does not finish in time', async () => {
    const source = world.setUp({ maxWaitMs: 5 * S });
    world.fake.endNextQuery('Running');
    world.clock.advance(180 * S);
    await expect(source.read(WINDOW)).rejects.toThrow(
      'the Logs Insights query for spans of checkout 1.4.0 was still Running after 5 s, so it is being stopped',
    );
    const operations = sentRequests(world.stub).map((request) => request.operation);
    expect(operations).toEqual(['StartQuery', ...Array(6).fill('GetQueryResults'), 'StopQuery']);
    expect(sentRequests(world.stub).at(-1)?.input).toEqual({ queryId: 'query-1' });
  });

  it('stops a running query whose results cannot be read, and reports the throttle', async () => {
    const source = world.setUp({ completesOnPoll: 3 });
    world.fake.add(...traffic(5, T0, 1000));
    world.fake.fail('GetQueryResults', throttling(), 1);
    world.clock.advance(180 * S);
    await expect(source.read(WINDOW)).rejects.toMatchObject({ name: 'AwsCallError', kind: 'throttled' });
    expect(sentRequests(world.stub).map((request) => request.operation)).toEqual([
      'StartQuery',
      'GetQueryResults',
      'StopQuery',
    ]);
  });

  it('keeps to the API limits', () => {
    // StartQuery limit: at most 100,000; GetQueryResults maxItems: at most 10,000 (CloudWatch Logs API reference).
    expect(MAX_QUERY_LIMIT).toBe(100_000);
    expect(MAX_PAGE_ITEMS).toBe(10_000);
  });

  it('sends only the operations its PERMISSIONS list, and needs all of them', () => {
    expect([...operationsSent].map((operation) => `logs:${operation}`).sort()).toEqual(
      PERMISSIONS.map((p) => p.action).sort(),
    );
  });
});
