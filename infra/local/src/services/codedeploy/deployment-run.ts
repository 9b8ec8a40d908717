import type { LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { Interrupted, ShutDown } from '../ecs/deployment-signals';
import type { AlarmState } from '../ecs/native-lifecycle';
import { type DeploymentRecord, isActive, type StopRequest } from './codedeploy-store';
import { scheduleOf } from './deployment-configs';
import { DeploymentFailure, type TrafficDriver } from './traffic-driver';

export interface CodeDeployTiming {
  /** Between reads of the deployment group's alarms. */
  alarmPollMs: number;
  /** How long a rollback deployment CodeDeploy creates takes to put traffic back. */
  rollbackMs: number;
}

export const CODEDEPLOY_TIMING: CodeDeployTiming = { alarmPollMs: 30_000, rollbackMs: 5_000 };

export interface RunContext {
  clock: ScaledClock;
  deployment: DeploymentRecord;
  driver: TrafficDriver;
  timing: CodeDeployTiming;
  alarmState?: AlarmState;
  /** After the deployment stopped or failed with rollback: CodeDeploy's rollback. */
  rollBack(deployment: DeploymentRecord, driver: TrafficDriver): Promise<void>;
}

const MINUTE = 60_000;

/**
 * Runs a deployment on cloud time: install, then AllowTraffic moves traffic by the configuration's
 * time-based schedule, then (ECS) Baking until the termination wait ends. Stopping it (StopDeployment, an
 * alarm) or a failure ends it Stopped or Failed, rolled back when asked or when the group's auto-rollback
 * covers that event.
 */
export async function runDeployment(context: RunContext): Promise<void> {
  const { deployment, driver, clock } = context;
  const { signals } = deployment;
  deployment.events = driver.eventNames.map((name) => ({ lifecycleEventName: name, status: 'Pending' }));
  const watching = watchAlarms(context);
  try {
    deployment.status = 'InProgress';
    deployment.startTime = clock.now();
    for (const name of eventsBefore(driver, 'AllowTraffic')) mark(context, name, 'InProgress');
    await signals.race(driver.install());
    for (const name of eventsBefore(driver, 'AllowTraffic')) mark(context, name, 'Succeeded');
    await allowTraffic(context);
    mark(context, 'AfterAllowTraffic', 'Succeeded');
    await driver.complete();
    const wait = deployment.group.target.kind === 'ecs' ? deployment.group.target.terminationWaitMinutes : 0;
    if (wait > 0) {
      deployment.status = 'Baking';
      await signals.wait(wait * MINUTE);
    }
    await driver.cleanUp();
    finish(context, 'Succeeded');
  } catch (error) {
    if (error instanceof ShutDown) return;
    await ended(context, stopOf(deployment, error));
  } finally {
    signals.notify();
    await watching;
  }
}

async function allowTraffic(context: RunContext): Promise<void> {
  const { deployment, driver, clock } = context;
  mark(context, 'AllowTraffic', 'InProgress');
  const start = clock.now();
  for (const shift of scheduleOf(deployment.routing)) {
    await deployment.signals.waitFor(start + shift.atMs, () => false);
    await driver.shift(shift.percent);
    deployment.weight = shift.percent;
  }
  mark(context, 'AllowTraffic', 'Succeeded');
}

function stopOf(deployment: DeploymentRecord, error: unknown): StopRequest {
  if (error instanceof Interrupted && deployment.stopRequest) return deployment.stopRequest;
  const events = deployment.group.autoRollback.enabled ? deployment.group.autoRollback.events : [];
  const rollback = events.includes('DEPLOYMENT_FAILURE');
  if (error instanceof DeploymentFailure)
    return { status: 'Failed', code: error.code, message: error.message, rollback };
  const message = `The deployment failed in the local cloud: ${error instanceof Error ? error.message : String(error)}`;
  return { status: 'Failed', code: 'INTERNAL_ERROR', message, rollback };
}

async function ended(context: RunContext, stop: StopRequest): Promise<void> {
  const { deployment, driver } = context;
  for (const event of deployment.events)
    if (event.status === 'InProgress') mark(context, event.lifecycleEventName ?? '', 'Failed');
  deployment.error = { code: stop.code, message: stop.message };
  if (stop.rollback) await context.rollBack(deployment, driver);
  finish(context, stop.status);
}

function finish(context: RunContext, status: 'Succeeded' | 'Stopped' | 'Failed'): void {
  context.deployment.status = status;
  context.deployment.completeTime = context.clock.now();
}

function eventsBefore(driver: TrafficDriver, name: string): string[] {
  return driver.eventNames.slice(0, driver.eventNames.indexOf(name));
}

function mark(context: RunContext, name: string, status: LifecycleEvent['status']): void {
  const event = context.deployment.events.find((candidate) => candidate.lifecycleEventName === name);
  if (!event) return;
  const now = new Date(context.clock.now());
  if (status === 'InProgress' || event.status === 'Pending') event.startTime ??= now;
  if (status === 'Succeeded' || status === 'Failed') event.endTime = now;
  event.status = status;
}

/** While the deployment is active, stops it as soon as one of the group's alarms is in ALARM. */
async function watchAlarms(context: RunContext): Promise<void> {
  const { deployment, alarmState, timing } = context;
  const { group } = deployment;
  if (!alarmState || !group.alarmsEnabled || group.alarms.length === 0) return;
  while (isActive(deployment) && !deployment.stopRequest) {
    const states = await alarmState(group.alarms).catch(() => ({}) as Record<string, string>);
    const firing = group.alarms.filter((name) => states[name] === 'ALARM');
    if (firing.length > 0 && isActive(deployment) && !deployment.stopRequest) {
      const events = group.autoRollback.enabled ? group.autoRollback.events : [];
      deployment.stopRequest = {
        status: 'Stopped',
        code: 'ALARM_ACTIVE',
        message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${firing.join(', ')}>`,
        rollback: events.includes('DEPLOYMENT_STOP_ON_ALARM'),
      };
      deployment.signals.interrupt(deployment.stopRequest.message);
      return;
    }
    const down = await deployment.signals.hold(timing.alarmPollMs).then(
      () => false,
      () => true,
    );
    if (down) return;
  }
}
