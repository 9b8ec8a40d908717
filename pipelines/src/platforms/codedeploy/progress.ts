import type { Step } from '../../plan/shape';
import type { DeploymentStatus, Revision } from '../port';
import type { CodeDeployRun } from './deployments';

/**
 * The port's view of a CodeDeploy deployment: which step of the plan traffic is at (from the weight the
 * target shows, -1 before CodeDeploy starts shifting) and when CodeDeploy will shift next (its schedule
 * counts from the AllowTraffic event). "Baking" means all traffic has moved and only the old revision's
 * teardown is pending, so for a release it has succeeded.
 */
export function deploymentStatus(
  run: CodeDeployRun,
  revision: Revision,
  steps: readonly Step[],
  canaryWeight: number,
): DeploymentStatus {
  const state = stateOf(run);
  const stepIndex = state === 'succeeded' ? steps.length - 1 : stepOf(run, steps, canaryWeight);
  const status: DeploymentStatus = { id: run.id, revision, state, stepIndex };
  if (state === 'running' && run.trafficStartedAt !== undefined && stepIndex >= 0) {
    const baked = steps.slice(0, stepIndex + 1).reduce((total, step) => total + step.bakeMs, 0);
    status.nextShiftAt = run.trafficStartedAt + baked;
  }
  if (run.error) status.reason = run.error;
  return status;
}

function stateOf(run: CodeDeployRun): DeploymentStatus['state'] {
  switch (run.status) {
    case 'Succeeded':
    case 'Baking':
      return 'succeeded';
    case 'Stopped':
      return 'stopped';
    case 'Failed':
      return 'failed';
    default:
      return 'running';
  }
}

function stepOf(run: CodeDeployRun, steps: readonly Step[], canaryWeight: number): number {
  if (run.trafficStartedAt === undefined) return -1;
  let index = 0;
  for (const [i, step] of steps.entries())
    if (step.weight <= canaryWeight + 1e-9 && step.weight < 100) index = i;
  return index;
}
