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

export interface FaultPlan {
  api: ApiFault[];
  versions: VersionFault[];
}

export function emptyFaultPlan(): FaultPlan {
  return { api: [], versions: [] };
}

export function versionFault(plan: FaultPlan, workload: string, version: string): VersionFault | undefined {
  return plan.versions.find((fault) => fault.workload === workload && fault.version === version);
}
