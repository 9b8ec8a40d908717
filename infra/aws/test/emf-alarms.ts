import { SERVICE_NAME as ORDER_BATCH, runBatch } from '@securecart/order-batch/run';
import type { ReconciliationSource } from '@securecart/order-batch/source';
import {
  createRecommendationsServer,
  SERVICE_NAME as RECOMMENDATIONS,
} from '@securecart/recommendations/app';
import baskets from '@securecart/recommendations/data/baskets.json';
import { Recommender } from '@securecart/recommendations/recommender';
import { listen } from '@securecart/shared/http';
import { captureEmf, type EmfDocument, emfTelemetry, requestEmf } from '@securecart/testing/emf';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLUENT_BIT_MERGED_KEY } from '../src/constructs/container-request-metrics';
import { ENVS, type Env, type Resources, type Synthesized } from './synth-helper';

/**
 * The gating alarms that read SecureCart's own EMF metrics must read metrics that exist: same namespace,
 * metric name, dimension names and values as the lines the workloads really write. The lines are produced by
 * the workloads' code here (the recommendations server and the shared HTTP layer; order-batch's runBatch) and
 * compared with the synthesized alarms and, on EKS, with the metric filters that publish them.
 */

/** A CloudWatch metric's identity. */
interface MetricId {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}
const key = (m: MetricId) =>
  JSON.stringify([m.namespace, m.name, Object.entries(m.dimensions).sort(([a], [b]) => a.localeCompare(b))]);

/** What CloudWatch extracts from an EMF document at the root of a log event (EMF specification). */
function extracted(doc: EmfDocument): MetricId[] {
  return doc._aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Dimensions.flatMap((set) =>
      directive.Metrics.map((m) => ({
        namespace: directive.Namespace,
        name: m.Name,
        dimensions: Object.fromEntries(set.map((d) => [d, String(doc[d])])),
      })),
    ),
  );
}

/** `$.a.b[0].c` of a JSON value. */
function select(record: unknown, selector: string): unknown {
  const path = selector.replace(/^\$\./, '').split('.');
  let value: unknown = record;
  for (const part of path) {
    const [, name, index] = /^([^[]+)(?:\[(\d+)\])?$/.exec(part) ?? [];
    value = (value as Record<string, unknown> | undefined)?.[name as string];
    if (index !== undefined) value = (value as unknown[] | undefined)?.[Number(index)];
  }
  return value;
}

/** Evaluates the JSON filter patterns the infra writes: `{ (sel = "text") && (sel >= 0) && … }`. */
function matches(pattern: string, record: unknown): boolean {
  const body = /^\{\s*(.*)\s*\}$/.exec(pattern.trim())?.[1];
  if (!body) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split('&&').every((raw) => {
    const term = raw.trim();
    const m = /^\(\s*(\$\.\S+)\s*(=|>=)\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)\s*\)$/.exec(term);
    if (!m) throw new Error(`unsupported filter term "${term}" in ${pattern}`);
    const [, selector, op, literal] = m as unknown as [string, string, string, string];
    const value = select(record, selector);
    if (op === '=') return value === JSON.parse(literal);
    return typeof value === 'number' && value >= Number(literal);
  });
}

/** What the template's metric filters publish for one log event (namespace, name, resolved dimensions). */
function published(filters: Resources, record: unknown): MetricId[] {
  return Object.values(filters).flatMap((f) => {
    const p = f.Properties as {
      FilterPattern: string;
      MetricTransformations: Array<{
        MetricNamespace: string;
        MetricName: string;
        MetricValue: string;
        Dimensions?: Array<{ Key: string; Value: string }>;
      }>;
    };
    if (!matches(p.FilterPattern, record)) return [];
    return p.MetricTransformations.map((t) => {
      expect(typeof select(record, t.MetricValue), t.MetricValue).toBe('number');
      return {
        namespace: t.MetricNamespace,
        name: t.MetricName,
        dimensions: Object.fromEntries(
          (t.Dimensions ?? []).map((d) => [d.Key, String(select(record, d.Value))]),
        ),
      };
    });
  });
}

/** The event the add-on's Fluent Bit writes for one stdout line of a pod (kubernetes filter, Merge_Log). */
function fluentBitRecord(doc: EmfDocument, namespace: string, container: string): Record<string, unknown> {
  return {
    time: '2026-11-28T02:00:00.000000000Z',
    stream: 'stdout',
    _p: 'F',
    log: JSON.stringify(doc),
    [FLUENT_BIT_MERGED_KEY]: doc,
    kubernetes: {
      namespace_name: namespace,
      container_name: container,
      pod_name: `${container}-stable-abc12`,
    },
  };
}

type Alarm = { Properties?: Record<string, unknown> };

/** The metric identities an alarm reads through MetricStat (plain or in math). */
function alarmMetrics(alarm: Alarm): MetricId[] {
  const p = alarm.Properties ?? {};
  const dims = (d: unknown) =>
    Object.fromEntries(((d as Array<{ Name: string; Value: string }>) ?? []).map((x) => [x.Name, x.Value]));
  if (typeof p.MetricName === 'string') {
    return [{ namespace: p.Namespace as string, name: p.MetricName, dimensions: dims(p.Dimensions) }];
  }
  return ((p.Metrics as Array<Record<string, unknown>>) ?? []).flatMap((m) => {
    const metric = (m.MetricStat as { Metric?: Record<string, unknown> } | undefined)?.Metric;
    return metric
      ? [
          {
            namespace: metric.Namespace as string,
            name: metric.MetricName as string,
            dimensions: dims(metric.Dimensions),
          },
        ]
      : [];
  });
}

/** `SELECT FN(Metric) FROM SCHEMA(Namespace, dim, …) WHERE dim = 'value'` of Metrics Insights alarms. */
function insightsQueries(alarm: Alarm) {
  return ((alarm.Properties?.Metrics as Array<Record<string, unknown>>) ?? []).flatMap((m) => {
    const q = /^SELECT \w+\((\w+)\) FROM SCHEMA\(([^,)]+)((?:, *\w+)*)\) WHERE (\w+) = '([^']+)'$/.exec(
      String(m.Expression ?? ''),
    );
    if (!q) return [];
    const [, name, namespace, dims, whereKey, whereValue] = q as unknown as string[];
    return [
      {
        name: name as string,
        namespace: (namespace as string).trim(),
        dimensionKeys: (dims as string)
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean)
          .sort(),
        where: { [whereKey as string]: whereValue as string },
      },
    ];
  });
}

const readsSecureCart = (alarm: Alarm) => JSON.stringify(alarm.Properties).includes('SecureCart');

export function describeEmfAlarms(synthesized: () => Synthesized): void {
  let recommendationsEmf: EmfDocument[] = [];
  let orderBatchEmf: EmfDocument[] = [];

  beforeAll(async () => {
    // The real recommendations routes (200 and 400) and the shared HTTP layer's 5xx path under its name.
    recommendationsEmf = [
      ...(await captureEmf(async () => {
        const telemetry = emfTelemetry(RECOMMENDATIONS, '2.0.0');
        const server = createRecommendationsServer(telemetry, new Recommender(baskets));
        const port = await listen(server, 0, '127.0.0.1');
        try {
          await fetch(`http://127.0.0.1:${port}/recommendations?customerId=c-1`);
          await fetch(`http://127.0.0.1:${port}/recommendations`);
        } finally {
          await new Promise((resolve) => server.close(resolve));
          await telemetry.tracing.shutdown();
        }
      })),
      ...(await requestEmf(RECOMMENDATIONS, '2.0.0')),
    ];
    orderBatchEmf = await captureEmf(async () => {
      const telemetry = emfTelemetry(ORDER_BATCH, '3.0.0');
      const day: ReconciliationSource = {
        location: 'memory',
        read: async (kind) => ({
          name: kind,
          text:
            kind === 'orders'
              ? '{"orderId":"o1","customerId":"c1","total":5,"currency":"USD"}'
              : '{"paymentId":"p1","orderId":"o1","amount":5,"currency":"USD","type":"capture"}',
        }),
      };
      const missing: ReconciliationSource = {
        location: 'memory',
        read: async () => {
          throw new Error('no export');
        },
      };
      await runBatch({ telemetry, source: day, date: '2026-11-28' });
      await runBatch({ telemetry, source: missing, date: '2026-11-28' });
      await telemetry.tracing.shutdown();
    });
  });

  describe.each(ENVS)('%s: alarms on EMF metrics read what the workloads emit', (env: Env) => {
    it('the workloads emitted the lines under test', () => {
      expect(
        recommendationsEmf.map((d) =>
          Object.keys(d)
            .filter((k) => /^[A-Z]/.test(k))
            .sort(),
        ),
      ).toEqual([
        ['Latency', 'Requests'],
        ['ClientErrors', 'Latency', 'Requests'],
        ['Latency', 'Requests'],
        ['ClientErrors', 'Latency', 'Requests'],
        ['Faults', 'Latency', 'Requests'],
      ]);
      expect(orderBatchEmf.map((d) => d.BatchFailures ?? d.OrdersReconciled)).toEqual([1, 1]);
    });

    it('recommendations (EKS): metric filters publish exactly the metrics each EMF line declares', () => {
      const t = synthesized().template(env, 'Kubernetes');
      const filters = synthesized().resources(env, 'Kubernetes', 'AWS::Logs::MetricFilter');
      const logGroup = synthesized().logicalIdOf(env, 'Kubernetes', 'AWS::Logs::LogGroup', {
        LogGroupName: `/aws/containerinsights/securecart-${env}-eks/application`,
      });
      for (const f of Object.values(filters)) expect(f.Properties?.LogGroupName).toEqual({ Ref: logGroup });
      expect(Object.keys(t.findResources('AWS::EKS::Addon'))).toHaveLength(1);
      for (const doc of recommendationsEmf) {
        const record = fluentBitRecord(doc, 'recommendations', RECOMMENDATIONS);
        expect(published(filters, record).map(key).sort()).toEqual(extracted(doc).map(key).sort());
        // Another namespace's pod with the same line publishes nothing here.
        expect(published(filters, fluentBitRecord(doc, 'default', RECOMMENDATIONS))).toEqual([]);
      }
      // The line as Fluent Bit ships it has no root `_aws`: CloudWatch would extract nothing by itself.
      expect(
        fluentBitRecord(recommendationsEmf[0] as EmfDocument, 'recommendations', 'r'),
      ).not.toHaveProperty('_aws');
    });

    it('recommendations (EKS): 5xx, errors and p99-latency read metrics those lines produce', () => {
      const alarms = synthesized().resources(env, 'Kubernetes', 'AWS::CloudWatch::Alarm');
      const names = Object.values(alarms).map((a) => a.Properties?.AlarmName);
      expect(names.sort()).toEqual(
        ['5xx', 'errors', 'p99-latency'].map((s) => `securecart-${env}-recommendations-${s}`),
      );
      const produced = new Set(recommendationsEmf.flatMap(extracted).map(key));
      for (const alarm of Object.values(alarms)) {
        const read = alarmMetrics(alarm);
        expect(read.length, String(alarm.Properties?.AlarmName)).toBeGreaterThan(0);
        for (const m of read) expect(produced, `${alarm.Properties?.AlarmName}: ${key(m)}`).toContain(key(m));
      }
      expect(
        alarmMetrics(
          Object.values(alarms).find((a) => String(a.Properties?.AlarmName).endsWith('p99-latency')) as Alarm,
        ),
      ).toEqual([{ namespace: 'SecureCart', name: 'Latency', dimensions: { service: 'recommendations' } }]);
    });

    it('order-batch (ECS, awslogs: EMF extracted from the raw line): Metrics Insights alarms match its EMF', () => {
      const alarms = synthesized().resources(env, 'Containers', 'AWS::CloudWatch::Alarm');
      const emfAlarms = Object.values(alarms).filter(readsSecureCart);
      expect(emfAlarms.map((a) => a.Properties?.AlarmName).sort()).toEqual([
        `securecart-${env}-order-batch-errors`,
        `securecart-${env}-order-batch-run-duration`,
      ]);
      for (const alarm of emfAlarms) {
        const queries = insightsQueries(alarm);
        expect(queries, String(alarm.Properties?.AlarmName)).toHaveLength(1);
        for (const q of queries) {
          const declaring = orderBatchEmf.filter((doc) =>
            doc._aws.CloudWatchMetrics.some(
              (d) =>
                d.Namespace === q.namespace &&
                d.Metrics.some((m) => m.Name === q.name) &&
                d.Dimensions.some(
                  (set) => JSON.stringify([...set].sort()) === JSON.stringify(q.dimensionKeys),
                ),
            ),
          );
          expect(declaring.length, `${alarm.Properties?.AlarmName} reads ${q.name}`).toBeGreaterThan(0);
          for (const doc of declaring) expect(doc).toMatchObject(q.where);
        }
      }
    });

    it('no other alarm reads the SecureCart namespace (checkout, auth, product-search use AWS metrics)', () => {
      const others = (['Serverless', 'AppRunner'] as const).flatMap((part) =>
        Object.values(synthesized().resources(env, part, 'AWS::CloudWatch::Alarm'))
          .filter(readsSecureCart)
          .map((a) => a.Properties?.AlarmName),
      );
      const containers = Object.values(synthesized().resources(env, 'Containers', 'AWS::CloudWatch::Alarm'))
        .filter(readsSecureCart)
        .map((a) => String(a.Properties?.AlarmName));
      expect(others).toEqual([]);
      expect(containers.every((n) => n.includes('-order-batch-'))).toBe(true);
    });
  });
}
