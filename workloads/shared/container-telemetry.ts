import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { METRICS_NAMESPACE } from './metrics-namespace';
import { startTracing, type Tracing } from './otel';
import { releaseFromEnv } from './release';

/**
 * Traces (OpenTelemetry → ADOT), structured JSON logs and EMF metrics on stdout for one container.
 * Powertools' Logger and Metrics are plain stdout writers outside Lambda; CloudWatch Logs extracts the EMF
 * lines from the container's log group (awslogs driver) into metrics.
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
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { release } }),
  };
}
