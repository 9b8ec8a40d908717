import {
  CONTAINER_DIMENSION_SETS,
  METRICS_NAMESPACE,
  REQUEST_METRICS,
  SERVICE_DIMENSION,
} from '@securecart/shared/metrics-namespace';
import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Where the add-on's Fluent Bit puts a container line's parsed JSON (kubernetes filter `Merge_Log On`,
 * `Merge_Log_Key log_processed`, aws-observability/helm-charts `amazon-cloudwatch-observability` values).
 */
export const FLUENT_BIT_MERGED_KEY = 'log_processed';

const UNITS: Record<string, cloudwatch.Unit> = {
  [REQUEST_METRICS.requests]: cloudwatch.Unit.COUNT,
  [REQUEST_METRICS.latency]: cloudwatch.Unit.MILLISECONDS,
  [REQUEST_METRICS.faults]: cloudwatch.Unit.COUNT,
  [REQUEST_METRICS.clientErrors]: cloudwatch.Unit.COUNT,
};

/** Fewer requests than this in a period and the error rate reads 0 (one bad request of three is not a trend). */
export const ERROR_RATE_MIN_REQUESTS = 20;

export interface ContainerRequestMetricsProps {
  /** The log group Fluent Bit writes the pods' stdout to. */
  readonly logGroup: logs.ILogGroup;
  /** Kubernetes namespace of the workload's pods. */
  readonly namespace: string;
  /** The workload, i.e. the EMF `service` dimension value (its OpenTelemetry/Powertools service name). */
  readonly workload: string;
  readonly period: Duration;
}

export interface ContainerRequestMetrics {
  readonly filters: logs.MetricFilter[];
  /** Sum of Faults (5xx) of the whole service (all releases). */
  readonly faults: cloudwatch.Metric;
  /** p99 of Latency of the whole service. */
  readonly p99Latency: cloudwatch.Metric;
  /** (Faults + ClientErrors) / Requests of the whole service, 0 below ERROR_RATE_MIN_REQUESTS requests. */
  readonly errorRate: cloudwatch.MathExpression;
}

const capitalize = (word: string) => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`;

/**
 * Publishes a container's request metrics from its EMF lines as they arrive in a Fluent Bit log group: one
 * metric filter per metric and EMF dimension set, with the namespace, metric name, unit and dimensions the
 * EMF line declares (workloads/shared/metrics-namespace.ts), values read from the nested document. The result
 * is the metric CloudWatch would have extracted from the same line at the root of a log event (as on ECS).
 */
export function containerRequestMetrics(
  scope: Construct,
  id: string,
  props: ContainerRequestMetricsProps,
): ContainerRequestMetrics {
  const group = new Construct(scope, id);
  const { workload, period } = props;
  const field = (name: string) => `$.${FLUENT_BIT_MERGED_KEY}.${name}`;
  const filters: logs.MetricFilter[] = [];
  for (const metricName of Object.values(REQUEST_METRICS)) {
    for (const dimensions of CONTAINER_DIMENSION_SETS) {
      filters.push(
        new logs.MetricFilter(group, `${metricName}By${dimensions.map(capitalize).join('')}`, {
          logGroup: props.logGroup,
          filterName: `${workload}-${metricName}-by-${dimensions.join('-')}`,
          filterPattern: logs.FilterPattern.all(
            logs.FilterPattern.stringValue('$.kubernetes.namespace_name', '=', props.namespace),
            logs.FilterPattern.stringValue(
              field('_aws.CloudWatchMetrics[0].Namespace'),
              '=',
              METRICS_NAMESPACE,
            ),
            logs.FilterPattern.stringValue(field(SERVICE_DIMENSION), '=', workload),
            logs.FilterPattern.numberValue(field(metricName), '>=', 0),
          ),
          metricNamespace: METRICS_NAMESPACE,
          metricName,
          metricValue: field(metricName),
          unit: UNITS[metricName] ?? cloudwatch.Unit.NONE,
          dimensions: Object.fromEntries(dimensions.map((d) => [d, field(d)])),
        }),
      );
    }
  }
  const metric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [SERVICE_DIMENSION]: workload },
      statistic,
      period,
    });
  return {
    filters,
    faults: metric(REQUEST_METRICS.faults, 'Sum'),
    p99Latency: metric(REQUEST_METRICS.latency, 'p99'),
    errorRate: new cloudwatch.MathExpression({
      expression: `IF(requests >= ${ERROR_RATE_MIN_REQUESTS}, (FILL(faults, 0) + FILL(clientErrors, 0)) / requests, 0)`,
      usingMetrics: {
        requests: metric(REQUEST_METRICS.requests, 'Sum'),
        faults: metric(REQUEST_METRICS.faults, 'Sum'),
        clientErrors: metric(REQUEST_METRICS.clientErrors, 'Sum'),
      },
      period,
      label: 'failed request ratio',
    }),
  };
}
