import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { CONTAINER_DIMENSION_SETS, METRICS_NAMESPACE, RELEASE_DIMENSION } from './metrics-namespace';
import { startTracing, type Tracing } from './otel';
import { releaseFromEnv } from './release';

/**
 * Traces (OpenTelemetry → ADOT), structured JSON logs and EMF metrics on stdout for one container.
 * Powertools' Logger and Metrics are plain stdout writers outside Lambda. On ECS and App Runner the line
 * reaches CloudWatch Logs as is and CloudWatch extracts the EMF into metrics; on EKS the add-on's Fluent Bit
 * nests it under `log_processed`, so infra/aws publishes the same metrics with metric filters (EksWorkload).
 */
export interface ServiceTelemetry {
  readonly serviceName: string;
  readonly release: string;
  readonly tracing: Tracing;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface TelemetryOptions {
  env?: NodeJS.ProcessEnv;
  exporter?: SpanExporter;
  register?: boolean;
}

export function createServiceTelemetry(
  serviceName: string,
  options: TelemetryOptions = {},
): ServiceTelemetry {
  const env = options.env ?? process.env;
  const release = releaseFromEnv(env);
  const tracing = startTracing({
    serviceName,
    release,
    env,
    ...(options.exporter ? { exporter: options.exporter } : {}),
    ...(options.register ? { register: true } : {}),
  });
  return {
    serviceName,
    release,
    tracing,
    logger: new Logger({ serviceName, persistentKeys: { release } }),
    metrics: new ContainerMetrics(serviceName, release),
  };
}

/**
 * Powertools Metrics (namespace SecureCart, dimensions service + release) whose EMF lines also declare the
 * service-only dimension set: CONTAINER_DIMENSION_SETS, so CloudWatch keeps each metric per release and for
 * the whole service from the same line.
 */
export class ContainerMetrics extends Metrics {
  constructor(serviceName: string, release: string) {
    super({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { [RELEASE_DIMENSION]: release } });
  }

  override serializeMetrics(): ReturnType<Metrics['serializeMetrics']> {
    const emf = super.serializeMetrics();
    for (const directive of emf._aws.CloudWatchMetrics) {
      const sets = directive.Dimensions as string[][];
      for (const wanted of CONTAINER_DIMENSION_SETS) {
        if (!sets.some((set) => set.join('\u0000') === wanted.join('\u0000'))) sets.push([...wanted]);
      }
    }
    return emf;
  }
}
