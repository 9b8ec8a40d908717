import type { Step } from '../plan/shape';
import { type MemoryDeployment, type MemoryPlatformState, setTraffic } from './memory-state';
import type { DeploymentStatus, Revision } from './port';

/**
 * How a deployment moves by itself, like CodeDeploy's: step i is in force from the start plus the bakes
 * of every earlier step, and reaching the 100% step ends it. Progress is derived from the clock when
 * someone looks, and recorded at the times the schedule fixed, not when it was read.
 */

/** When step `index` comes into force. */
export function stepStartsAt(deployment: MemoryDeployment, index: number): number {
  const earlier = deployment.steps.slice(0, index);
  return deployment.startedAt + earlier.reduce((total, step) => total + step.bakeMs, 0);
}

/** Starts a deployment at `at`, taking over a failure injected for the next deployment. */
export function startDeployment(
  state: MemoryPlatformState,
  revision: Revision,
  steps: readonly Step[],
  at: number,
): MemoryDeployment {
  state.deploymentCount += 1;
  const deployment: MemoryDeployment = {
    id: `d-${state.deploymentCount}`,
    revision: { ...revision },
    steps: steps.map((step) => ({ ...step })),
    startedAt: at,
    state: 'running',
    stepIndex: 0,
    previousStable: { ...state.stable },
  };
  if (state.nextDeploymentFailure) {
    deployment.failAt = state.nextDeploymentFailure;
    delete state.nextDeploymentFailure;
  }
  state.deployment = deployment;
  enterStep(state, deployment, 0, at);
  return deployment;
}

/** Applies every schedule point up to `now`, each at its own time. */
export function catchUp(state: MemoryPlatformState, now: number): void {
  const deployment = state.deployment;
  while (deployment?.state === 'running') {
    const next = deployment.stepIndex + 1;
    const at = stepStartsAt(deployment, next);
    if (next >= deployment.steps.length || at > now) return;
    enterStep(state, deployment, next, at);
  }
}

/** Stops the running deployment and returns its traffic to the stable revision it replaced. */
export function stopDeployment(state: MemoryPlatformState, deployment: MemoryDeployment, at: number): void {
  endDeployment(state, deployment, 'stopped', at, 'stopped by Tollgate');
}

export function deploymentStatus(deployment: MemoryDeployment): DeploymentStatus {
  const status: DeploymentStatus = {
    id: deployment.id,
    revision: { ...deployment.revision },
    state: deployment.state,
    stepIndex: deployment.stepIndex,
  };
  if (deployment.state === 'running') status.nextShiftAt = stepStartsAt(deployment, deployment.stepIndex + 1);
  if (deployment.reason !== undefined) status.reason = deployment.reason;
  return status;
}

function enterStep(
  state: MemoryPlatformState,
  deployment: MemoryDeployment,
  index: number,
  at: number,
): void {
  const step = deployment.steps[index];
  if (!step) return;
  deployment.stepIndex = index;
  if (deployment.failAt?.stepIndex === index) {
    endDeployment(state, deployment, 'failed', at, deployment.failAt.reason);
  } else if (step.weight === 100) {
    endDeployment(state, deployment, 'succeeded', at);
  } else {
    setTraffic(state, deployment.previousStable, deployment.revision, step.weight, at);
  }
}

function endDeployment(
  state: MemoryPlatformState,
  deployment: MemoryDeployment,
  outcome: 'succeeded' | 'stopped' | 'failed',
  at: number,
  reason?: string,
): void {
  deployment.state = outcome;
  deployment.endedAt = at;
  if (reason !== undefined) deployment.reason = reason;
  const stable = outcome === 'succeeded' ? deployment.revision : deployment.previousStable;
  setTraffic(state, stable, undefined, 0, at);
}
