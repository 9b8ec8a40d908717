import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';

/** Pinned AWS Distro for OpenTelemetry collector image (public ECR, no credentials needed). */
export const ADOT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3';

/**
 * Collector configuration: OTLP from the app container (task-local only) to X-Ray. The `release`
 * attribute is indexed as X-Ray annotations so Tollgate can filter canary vs baseline traces.
 */
export const ADOT_XRAY_CONFIG = `extensions:
  health_check:
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:4317
      http:
        endpoint: 127.0.0.1:4318
processors:
  resourcedetection:
    detectors: [env, ecs]
  batch/traces:
    timeout: 1s
    send_batch_size: 50
exporters:
  awsxray:
    indexed_attributes: [release]
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [resourcedetection, batch/traces]
      exporters: [awsxray]
`;

/**
 * Environment the app container needs to send traces to the sidecar. The services name themselves
 * (`service.name` = workload, see workloads/shared/otel.ts) and stamp every span with `release`.
 */
export function otelEnvironment(): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
}

/**
 * Adds the ADOT collector as a sidecar (X-Ray exporter) and grants the task role the X-Ray write
 * actions. The app container should depend on it starting so no early spans are lost.
 */
export function addTelemetrySidecar(
  taskDefinition: ecs.TaskDefinition,
  logGroup: logs.ILogGroup,
  memoryReservationMiB = 64,
): ecs.ContainerDefinition {
  const sidecar = taskDefinition.addContainer('otel-collector', {
    containerName: 'otel-collector',
    image: ecs.ContainerImage.fromRegistry(ADOT_COLLECTOR_IMAGE),
    essential: true,
    memoryReservationMiB,
    environment: { AOT_CONFIG_CONTENT: ADOT_XRAY_CONFIG },
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'otel-collector' }),
    readonlyRootFilesystem: true,
  });
  taskDefinition.addToTaskRolePolicy(xrayWriteStatement());
  return sidecar;
}

/** What a trace exporter needs: X-Ray's write and sampling APIs have no resource-level permissions. */
export function xrayWriteStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ],
    resources: ['*'],
  });
}
