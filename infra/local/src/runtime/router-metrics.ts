import type { TelemetrySink } from '../telemetry/sink';

/** What became of one request through the router. */
export interface RoutedRequest {
  /** The target chosen; absent when there was none to choose (no target with weight). */
  targetId?: string;
  /** The status the client got. */
  status: number;
  /** Who answered: the target, or the router itself (no target, connection refused, timeout). */
  answeredBy: 'target' | 'router';
  /** Real ms from forwarding the request until the target's response headers (target answers only). */
  targetMs?: number;
}

/** One metric of a table: its value for a request (undefined: not published for it) and where it is published. */
export interface MetricRow {
  name: string;
  unit: string;
  value(request: RoutedRequest): number | undefined;
  /** Also per target (ALB: LoadBalancer+TargetGroup), besides the service-wide dimension set. */
  perTarget: boolean;
}

/** The metrics a platform vends per request: a namespace, its rows and its dimension sets. */
export interface MetricTable {
  namespace: string;
  rows: readonly MetricRow[];
  /** The service-wide set, and the per-target set for rows that have one. */
  dimensions(targetId: string | undefined, perTarget: boolean): Record<string, string>[];
}

const count = (when: (request: RoutedRequest) => boolean) => (request: RoutedRequest) =>
  when(request) ? 1 : undefined;
const fromTarget = (request: RoutedRequest) => request.answeredBy === 'target';
const targetClass = (digit: number) => count((r) => fromTarget(r) && Math.floor(r.status / 100) === digit);
const routerStatus = (status: number) => count((r) => r.answeredBy === 'router' && r.status === status);

export interface AlbMetricsOptions {
  loadBalancerName: string;
  /** Target group name per router target id; a target id not listed is its own target group name. */
  targetGroups?: Record<string, string>;
}

/**
 * What an ALB publishes per request (only non-zero counts, as ALB reports them). RequestCount counts only
 * requests for which a target was chosen; the ELB codes are the router's own answers.
 */
export function albMetricTable(options: AlbMetricsOptions): MetricTable {
  const loadBalancer = `app/${options.loadBalancerName}/local`;
  return {
    namespace: 'AWS/ApplicationELB',
    rows: [
      { name: 'RequestCount', unit: 'Count', perTarget: true, value: count((r) => r.targetId !== undefined) },
      { name: 'HTTPCode_Target_2XX_Count', unit: 'Count', perTarget: true, value: targetClass(2) },
      { name: 'HTTPCode_Target_3XX_Count', unit: 'Count', perTarget: true, value: targetClass(3) },
      { name: 'HTTPCode_Target_4XX_Count', unit: 'Count', perTarget: true, value: targetClass(4) },
      { name: 'HTTPCode_Target_5XX_Count', unit: 'Count', perTarget: true, value: targetClass(5) },
      {
        name: 'TargetResponseTime',
        unit: 'Seconds',
        perTarget: true,
        value: (r) => (fromTarget(r) && r.targetMs !== undefined ? r.targetMs / 1000 : undefined),
      },
      {
        name: 'TargetConnectionErrorCount',
        unit: 'Count',
        perTarget: true,
        value: count((r) => r.answeredBy === 'router' && r.status === 502 && r.targetId !== undefined),
      },
      {
        name: 'HTTPCode_ELB_5XX_Count',
        unit: 'Count',
        perTarget: false,
        value: count((r) => r.answeredBy === 'router'),
      },
      { name: 'HTTPCode_ELB_502_Count', unit: 'Count', perTarget: false, value: routerStatus(502) },
      { name: 'HTTPCode_ELB_503_Count', unit: 'Count', perTarget: false, value: routerStatus(503) },
      { name: 'HTTPCode_ELB_504_Count', unit: 'Count', perTarget: false, value: routerStatus(504) },
    ],
    dimensions(targetId, perTarget) {
      const sets: Record<string, string>[] = [{ LoadBalancer: loadBalancer }];
      if (perTarget && targetId !== undefined) {
        const targetGroup = options.targetGroups?.[targetId] ?? targetId;
        sets.push({ LoadBalancer: loadBalancer, TargetGroup: `targetgroup/${targetGroup}/local` });
      }
      return sets;
    },
  };
}

export interface AppRunnerMetricsOptions {
  serviceName: string;
  serviceId: string;
}

/** App Runner's service-level request metrics (what its gating alarms read: ServiceName + ServiceID). */
export function appRunnerMetricTable(options: AppRunnerMetricsOptions): MetricTable {
  const statusClass = (digit: number) => count((r) => Math.floor(r.status / 100) === digit);
  return {
    namespace: 'AWS/AppRunner',
    rows: [
      { name: 'Requests', unit: 'Count', perTarget: false, value: () => 1 },
      { name: '2xxStatusResponses', unit: 'Count', perTarget: false, value: statusClass(2) },
      { name: '4xxStatusResponses', unit: 'Count', perTarget: false, value: statusClass(4) },
      { name: '5xxStatusResponses', unit: 'Count', perTarget: false, value: statusClass(5) },
      {
        name: 'RequestLatency',
        unit: 'Milliseconds',
        perTarget: false,
        value: (r) => (fromTarget(r) && r.targetMs !== undefined ? r.targetMs : undefined),
      },
    ],
    dimensions: () => [{ ServiceName: options.serviceName, ServiceID: options.serviceId }],
  };
}

/** Publishes one request's metrics from the table to the sink. */
export function vendMetrics(
  table: MetricTable,
  sink: Pick<TelemetrySink, 'metric'>,
  request: RoutedRequest,
  realEpochMs: number,
): void {
  for (const row of table.rows) {
    const value = row.value(request);
    if (value === undefined) continue;
    for (const dimensions of table.dimensions(request.targetId, row.perTarget)) {
      sink.metric({
        namespace: table.namespace,
        name: row.name,
        dimensions,
        value,
        unit: row.unit,
        realEpochMs,
      });
    }
  }
}
