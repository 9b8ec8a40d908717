import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { CodeDeployStore, DeploymentRecord } from './codedeploy-store';
import type { CodeDeployTiming } from './deployment-run';
import { lambdaDriver } from './lambda-traffic';
import type { TrafficDriver } from './traffic-driver';

export interface RollbackDeps {
  store: CodeDeployStore;
  clock: ScaledClock;
  timing: CodeDeployTiming;
  drivers: Map<string, TrafficDriver>;
  track(run: Promise<void>): void;
}

/**
 * CodeDeploy's rollback of a stopped or failed deployment. Lambda: a new deployment (creator
 * codeDeployRollback, its rollbackInfo naming the one it undoes) that puts the alias back on the original
 * version. ECS: traffic returns to the original task set and the replacement is deleted at once, within
 * the stopped deployment.
 */
export async function startRollback(
  deps: RollbackDeps,
  failed: DeploymentRecord,
  driver: TrafficDriver,
): Promise<void> {
  const { store, clock } = deps;
  if (failed.spec.kind === 'ecs') {
    await driver.restore();
    failed.weight = 0;
    failed.rollbackInfo = { rollbackMessage: 'Traffic was rerouted to the original task set.' };
    return;
  }
  const spec = failed.spec;
  const target = failed.group.target;
  const swapped = { ...spec, currentVersion: spec.targetVersion, targetVersion: spec.currentVersion };
  const rollback = store.newDeployment({
    group: failed.group,
    configName: 'CodeDeployDefault.LambdaAllAtOnce',
    routing: { type: 'AllAtOnce' },
    revision: structuredClone(failed.revision),
    spec: swapped,
    creator: 'codeDeployRollback',
    rollbackInfo: {
      rollbackTriggeringDeploymentId: failed.id,
      rollbackMessage: `Rollback of deployment ${failed.id}.`,
    },
  });
  failed.rollbackInfo = {
    rollbackDeploymentId: rollback.id,
    rollbackMessage: `Deployment ${failed.id} is rolled back by deployment ${rollback.id}.`,
  };
  if (target.kind === 'lambda') {
    const context = { region: target.region, clock, requestId: `codedeploy-${rollback.id}` };
    const view = lambdaDriver({}, context, { ...swapped, region: target.region, account: target.account });
    deps.drivers.set(rollback.id, view);
  }
  deps.track(runRollback(deps, rollback, driver));
}

async function runRollback(
  deps: RollbackDeps,
  rollback: DeploymentRecord,
  driver: TrafficDriver,
): Promise<void> {
  const { clock } = deps;
  const at = () => new Date(clock.now());
  rollback.status = 'InProgress';
  rollback.startTime = clock.now();
  rollback.events = [
    { lifecycleEventName: 'BeforeAllowTraffic', status: 'Succeeded', startTime: at(), endTime: at() },
    { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: at() },
    { lifecycleEventName: 'AfterAllowTraffic', status: 'Pending' },
  ];
  await rollback.signals.hold(deps.timing.rollbackMs);
  await driver.restore();
  rollback.weight = 100;
  for (const event of rollback.events) {
    event.startTime ??= at();
    event.endTime = at();
    event.status = 'Succeeded';
  }
  rollback.status = 'Succeeded';
  rollback.completeTime = clock.now();
}
