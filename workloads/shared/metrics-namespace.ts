/**
 * The CloudWatch metrics SecureCart's workloads emit as EMF, in one place: the code that writes them
 * (powertools.ts, container-telemetry.ts, http.ts) and the infra alarms and metric filters that read them
 * (infra/aws) import these names, and tests check the emitted lines against the alarms.
 */

/** Namespace shared by every SecureCart workload, Lambda or container. */
export const METRICS_NAMESPACE = 'SecureCart';

/** Dimension names: the workload (`service`, Powertools' service name) and its version (`release`). */
export const SERVICE_DIMENSION = 'service';
export const RELEASE_DIMENSION = 'release';

/**
 * The dimension sets of every container EMF line: per release (canary vs baseline) and per service (the
 * whole workload, all releases: what gating alarms read, since an alarm cannot know the canary's version and
 * Metrics Insights has no percentiles).
 */
export const CONTAINER_DIMENSION_SETS: readonly (readonly string[])[] = [
  [SERVICE_DIMENSION, RELEASE_DIMENSION],
  [SERVICE_DIMENSION],
];

/** Per-request metrics of the containers' HTTP layer (http.ts): one EMF line per request. */
export const REQUEST_METRICS = {
  /** Count, 1 per request. */
  requests: 'Requests',
  /** Milliseconds, server-side duration of the request. */
  latency: 'Latency',
  /** Count, 1 per 5xx response (absent otherwise). */
  faults: 'Faults',
  /** Count, 1 per 4xx response (absent otherwise). */
  clientErrors: 'ClientErrors',
} as const;
