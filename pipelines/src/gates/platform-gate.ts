import { errorText } from '../errors/error-text';
import { type DeploymentStatus, describeTraffic, type Platform, type Revision } from '../platforms/port';
import type { GateReading } from '../record/reading';
import { formatDuration } from '../time/duration';

/** Where the platform should be while a step bakes. */
export interface StepExpectation {
  revision: Revision;
  weight: number;
  /** Platform-driven: the step of the platform's own schedule that is being judged. */
  stepIndex?: number;
}

/**
 * The platform's own view of the step, read every poll: traffic changed by someone else, or a
 * deployment that moved on, stopped or failed by itself, fails the step like a firing alarm would.
 */
export async function readPlatformGate(
  platform: Platform,
  expected: StepExpectation,
  now: number,
): Promise<GateReading> {
  const reading = (verdict: GateReading['verdict'], metric: string, reason: string): GateReading => ({
    gate: 'platform',
    metric,
    verdict,
    reason,
    at: now,
    window: { from: now, to: now },
  });
  try {
    const state = await platform.current();
    if (expected.stepIndex !== undefined) {
      const deployment = state.deployment;
      if (!deployment || deployment.revision.ref !== expected.revision.ref) {
        return reading(
          'fail',
          'deployment',
          `no deployment of ${expected.revision.version} is running: ${describeTraffic(state)}`,
        );
      }
      const [verdict, reason] = judgeDeployment(deployment, expected.stepIndex, now);
      return reading(verdict, `deployment ${deployment.id}`, reason);
    }
    const asSet =
      expected.weight === 100
        ? state.stable.ref === expected.revision.ref && state.canaryWeight === 0
        : state.canary?.ref === expected.revision.ref && state.canaryWeight === expected.weight;
    // An engine-driven platform can still end a deployment by itself (ECS on an alarm, its circuit
    // breaker or a pause that timed out), while the weights still read as set.
    const ended = endedByPlatform(state.deployment);
    if (ended && ended.revision.ref === expected.revision.ref)
      return reading('fail', `deployment ${ended.id}`, endedReason(ended));
    return asSet
      ? reading('pass', 'traffic', `${describeTraffic(state)}, as set`)
      : reading('fail', 'traffic', `traffic changed outside this release: ${describeTraffic(state)}`);
  } catch (error) {
    return reading(
      'error',
      'platform',
      `could not read the platform of ${platform.workload}: ${errorText(error)}`,
    );
  }
}

function endedByPlatform(deployment: DeploymentStatus | undefined): DeploymentStatus | undefined {
  return deployment && (deployment.state === 'stopped' || deployment.state === 'failed')
    ? deployment
    : undefined;
}

function endedReason(deployment: DeploymentStatus): string {
  const how = deployment.state === 'stopped' ? 'stopped' : 'failed';
  return `the platform ${how} it: ${deployment.reason ?? 'no reason given'}`;
}

function judgeDeployment(
  deployment: DeploymentStatus,
  stepIndex: number,
  now: number,
): ['pass' | 'fail', string] {
  if (endedByPlatform(deployment)) return ['fail', endedReason(deployment)];
  if (deployment.state === 'succeeded' || deployment.stepIndex > stepIndex) {
    return ['fail', `the platform moved on before step ${stepIndex + 1} was judged`];
  }
  const next =
    deployment.nextShiftAt === undefined
      ? ''
      : `; next shift in ${formatDuration(deployment.nextShiftAt - now)}`;
  return ['pass', `running at step ${deployment.stepIndex + 1}${next}`];
}
