/**
 * Faults the local cloud injects, for tests and demos. Two kinds: faults of the AWS APIs themselves
 * (the wire layer applies them before a handler runs), and faults of a workload's version (the runtime
 * passes them to the workload's process, which acts them out in its own request path, so its own
 * instrumentation measures them).
 */
export interface ApiFault {
  /** The signing name of the service (`lambda`, `monitoring`, …); every service when absent. */
  service?: string;
  /** One operation (`UpdateAlias`); every operation of the service when absent. */
  operation?: string;
  /** Share of matching calls answered with the service's throttling error (0–1). */
  throttleShare?: number;
  /** Share of matching calls answered with a 500 (0–1). */
  serverErrorShare?: number;
  /** Added before answering, in real milliseconds. */
  delayMs?: number;
  /** Cloud-time window in which every matching call fails with 503 (an outage). */
  outage?: { from: number; to: number };
}

/** How one version of one workload misbehaves. */
export interface VersionFault {
  workload: string;
  version: string;
  /** Added to every request, in real milliseconds. */
  addedLatencyMs?: number;
  /** A heavier tail: this share of requests (0–1) takes `tailLatencyMs` more. */
  tailShare?: number;
  tailLatencyMs?: number;
  /** Share of requests (0–1) that fail with a server error. */
  errorRate?: number;
  /** The version exits right after it starts. */
  crashOnStart?: boolean;
}

/**
 * How long the downstream calls take that the local workloads make instantly (the payment provider, a
 * database, the search index): every version waits this long in its own request path, so latencies are
 * a service's, not a sub-millisecond function's, and a version fault's latency adds to it.
 */
export interface DependencyLatency {
  addedLatencyMs: number;
  tailShare?: number;
  tailLatencyMs?: number;
}

export interface FaultPlan {
  api: ApiFault[];
  versions: VersionFault[];
  dependencyLatency?: DependencyLatency;
}

export function emptyFaultPlan(): FaultPlan {
  return { api: [], versions: [] };
}

/** What one version acts out: its own fault on top of the dependency latency every version has. */
export function versionFault(plan: FaultPlan, workload: string, version: string): VersionFault | undefined {
  const own = plan.versions.find((fault) => fault.workload === workload && fault.version === version);
  const base = plan.dependencyLatency;
  if (!base) return own;
  const merged: VersionFault = {
    workload,
    version,
    ...own,
    addedLatencyMs: base.addedLatencyMs + (own?.addedLatencyMs ?? 0),
  };
  if (own?.tailShare === undefined && base.tailShare !== undefined) {
    merged.tailShare = base.tailShare;
    merged.tailLatencyMs = base.tailLatencyMs ?? 0;
  }
  return merged;
}
