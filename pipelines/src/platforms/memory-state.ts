import type { Step } from '../plan/shape';
import type { Capabilities } from '../targets/capabilities';
import type { DeploymentStatus, Revision, TrafficState } from './port';

/** One change of what the workload served, by version, so synthetic traffic can be split as it was. */
export interface TrafficChange {
  at: number;
  stable: string;
  canary?: string;
  /** 0..100: the canary's share; 0 when there is none. */
  weight: number;
}

/** A fault to act out: the deployment fails by itself on reaching `stepIndex` (a hook or health check). */
export interface DeploymentFailure {
  stepIndex: number;
  reason: string;
}

/** A deployment the platform runs on its own schedule, kept in full so its progress can be derived. */
export interface MemoryDeployment {
  id: string;
  revision: Revision;
  steps: Step[];
  startedAt: number;
  state: DeploymentStatus['state'];
  /** The step traffic is at; once failed, the step it failed on reaching. */
  stepIndex: number;
  endedAt?: number;
  reason?: string;
  /** Where traffic returns when the deployment stops or fails. */
  previousStable: Revision;
  failAt?: DeploymentFailure;
}

/**
 * Everything one in-memory workload knows, as plain JSON: an adapter can be thrown away and rebuilt
 * over the same state (a crash), and the state can be written to a file between CLI runs.
 */
export interface MemoryPlatformState {
  workload: string;
  stable: Revision;
  canary?: Revision;
  canaryWeight: number;
  /** Every revision the platform holds (like a function's published versions), the first stable included. */
  prepared: Revision[];
  nextRef: number;
  /** How many deployments were ever started, for their ids (d-1, d-2, …). */
  deploymentCount: number;
  /** The deployment in flight or last run (platform-driven only). */
  deployment?: MemoryDeployment;
  /** A failure injected for the next deployment to start. */
  nextDeploymentFailure?: DeploymentFailure;
  history: TrafficChange[];
}

/** What an in-memory adapter is built from; `exists: false` acts out a workload the platform lacks. */
export interface MemoryPlatformOptions {
  state: MemoryPlatformState;
  capabilities: Capabilities;
  now: () => number;
  exists?: boolean;
}

/** A workload serving `stableVersion` at 100%; its revision gets ref "1", like a function's first version. */
export function createMemoryState(workload: string, stableVersion: string, now: number): MemoryPlatformState {
  const stable = { version: stableVersion, ref: '1' };
  return {
    workload,
    stable,
    canaryWeight: 0,
    prepared: [{ ...stable }],
    nextRef: 2,
    deploymentCount: 0,
    history: [{ at: now, stable: stableVersion, weight: 0 }],
  };
}

/**
 * The share (0..1) of traffic `version` received at `at`, from the history as recorded so far. Before
 * the first change the workload served what it served when the state was created. A platform-driven
 * workload records its schedule only when its platform is read: split traffic with the platform's own
 * `shareAt`, which catches up first.
 */
export function shareAt(state: MemoryPlatformState, version: string, at: number): number {
  const change = state.history.findLast((entry) => entry.at <= at) ?? state.history[0];
  if (!change) return 0;
  if (version === change.canary) return change.weight / 100;
  if (version === change.stable) return (100 - (change.canary === undefined ? 0 : change.weight)) / 100;
  return 0;
}

export function sameRevision(a: Revision, b: Revision): boolean {
  return a.version === b.version && a.ref === b.ref;
}

export function describeRevision(revision: Revision): string {
  return `${revision.version} (ref ${revision.ref})`;
}

/** The revision for `version`: the one already held, or a new one with the next ref. Traffic is untouched. */
export function prepareRevision(state: MemoryPlatformState, version: string): Revision {
  const held = [state.stable, ...state.prepared].find((revision) => revision.version === version);
  if (held) return { ...held };
  const revision = { version, ref: String(state.nextRef) };
  state.nextRef += 1;
  state.prepared.push(revision);
  return { ...revision };
}

/** A copy of what the workload serves, so callers cannot change the state through it. */
export function readTraffic(state: MemoryPlatformState): TrafficState {
  const traffic: TrafficState = { stable: { ...state.stable }, canaryWeight: state.canaryWeight };
  if (state.canary) traffic.canary = { ...state.canary };
  return traffic;
}

/**
 * Sets what the workload serves and records the change at `at`, which for a platform catching up with
 * its own schedule lies before now. A change to the same traffic is not recorded again.
 */
export function setTraffic(
  state: MemoryPlatformState,
  stable: Revision,
  canary: Revision | undefined,
  weight: number,
  at: number,
): void {
  state.stable = { ...stable };
  if (canary) state.canary = { ...canary };
  else delete state.canary;
  state.canaryWeight = canary ? weight : 0;
  const change: TrafficChange = { at, stable: stable.version, weight: state.canaryWeight };
  if (canary) change.canary = canary.version;
  const last = state.history.at(-1);
  if (last && sameSplit(last, change)) return;
  state.history.push(change);
}

function sameSplit(a: TrafficChange, b: TrafficChange): boolean {
  return a.stable === b.stable && a.canary === b.canary && a.weight === b.weight;
}

/** Refuses a revision the platform does not hold, naming the ones it does. */
export function requireHeld(state: MemoryPlatformState, revision: Revision, action: string): void {
  if (state.prepared.some((held) => sameRevision(held, revision))) return;
  const held = state.prepared.map(describeRevision).join(', ');
  throw new Error(
    `cannot ${action} ${describeRevision(revision)} on ${state.workload}: the platform holds no such revision (it holds ${held})`,
  );
}
