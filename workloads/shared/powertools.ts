import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { actOut, injectedFaults, refuseToStartIfTold } from './injected-faults';
import { METRICS_NAMESPACE } from './metrics-namespace';
import { releaseFromEnv } from './release';

export interface LambdaObservability {
  readonly serviceName: string;
  readonly release: string;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly metrics: Metrics;
}

/**
 * Logger, Tracer and Metrics (EMF) for one Lambda, all tagged with the release. The Tracer disables itself
 * outside Lambda (no AWS_EXECUTION_ENV), so creating this at import time is safe in tests.
 */
export function createLambdaObservability(serviceName: string): LambdaObservability {
  const release = releaseFromEnv();
  return {
    serviceName,
    release,
    logger: new Logger({ serviceName, persistentKeys: { release } }),
    tracer: new Tracer({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { release } }),
  };
}

/**
 * Wraps a handler: a `## <name>` subsegment annotated with `release`, ColdStart and Service; the Lambda
 * context in every log line; errors recorded as trace metadata; stored metrics flushed after each call.
 */
export function instrumentHandler<E, R>(
  obs: LambdaObservability,
  fn: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  const { logger, tracer, metrics, release, serviceName } = obs;
  const faults = injectedFaults();
  refuseToStartIfTold(faults);
  return async (event, context) => {
    logger.addContext(context);
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${serviceName}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    tracer.putAnnotation('release', release);
    metrics.captureColdStartMetric();
    try {
      await actOut(faults);
      return await fn(event, context);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      logger.error('handler failed', error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
      metrics.publishStoredMetrics();
    }
  };
}
