import type { DeploymentLifecycleHook, DeploymentLifecycleHookDetail } from '@aws-sdk/client-ecs';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { Interrupted, ShutDown } from './deployment-signals';
import { randomId } from './ecs-arns';
import type { EcsServiceRecord } from './ecs-store';
import { otherGroup } from './load-balancer';
import type { NativeDeployment } from './native-deployment';
import { productionWeights, stepBakeMinutes, usesTrafficShift } from './native-strategy';
import { type RevisionTasks, TasksFailedToStart } from './revision-tasks';

/** How long ECS takes, in cloud time, for the parts of a deployment it runs without being asked. */
export interface NativeTiming {
  reconcileMs: number;
  /** Moving the listener rules' weights for one traffic shift. */
  shiftMs: number;
  /** A rollback returns production traffic to the source this long after it starts… */
  rollbackShiftMs: number;
  /** …and ends (ROLLBACK_SUCCESSFUL) this long after that, once the target's tasks drained. */
  drainMs: number;
  cleanUpMs: number;
  /** Between reads of the deployment alarms. */
  alarmPollMs: number;
}

export const NATIVE_TIMING: NativeTiming = {
  reconcileMs: 5_000,
  shiftMs: 10_000,
  rollbackShiftMs: 5_000,
  drainMs: 30_000,
  cleanUpMs: 30_000,
  alarmPollMs: 30_000,
};

/** The state of the named CloudWatch alarms (the assembler reads them from the CloudWatch service). */
export type AlarmState = (names: readonly string[]) => Promise<Record<string, string>>;

export interface LifecycleContext {
  clock: ScaledClock;
  service: EcsServiceRecord;
  deployment: NativeDeployment;
  timing: NativeTiming;
  /** Starts the tasks of a task definition and waits until they are healthy. */
  launch(taskDefinition: string): Promise<RevisionTasks>;
  alarmState?: AlarmState;
}

const MINUTE = 60_000;

/**
 * Runs one service deployment through ECS's lifecycle stages on cloud time: scale up the target revision's
 * tasks, shift test then production traffic step by step (PAUSE hooks wait at their stages), bake, clean
 * up the source's tasks. Any interruption (ContinueServiceDeployment ROLLBACK, StopServiceDeployment, a
 * hook's timeout, an alarm, tasks failing to start) rolls it back to the source revision instead.
 */
export async function runNativeDeployment(context: LifecycleContext): Promise<void> {
  const { deployment } = context;
  const starting: { tasks?: Promise<RevisionTasks> } = {};
  const watching = watchAlarms(context);
  try {
    await forward(context, starting);
  } catch (error) {
    if (error instanceof ShutDown) return;
    const reason = error instanceof Interrupted || error instanceof TasksFailedToStart ? error.message : '';
    if (error instanceof TasksFailedToStart) deployment.circuitBreakerTriggered = true;
    const why = reason || `the deployment failed: ${error instanceof Error ? error.message : String(error)}`;
    if (deployment.aborted) await abort(context, why);
    else
      await rollBack(context, starting, why).catch((failure: unknown) => {
        if (!(failure instanceof ShutDown)) throw failure;
      });
  } finally {
    deployment.signals.notify();
    await watching;
  }
}

async function forward(context: LifecycleContext, starting: { tasks?: Promise<RevisionTasks> }) {
  const { deployment, service, timing } = context;
  const { signals, configuration } = deployment;
  deployment.setStatus('IN_PROGRESS');
  await hooksAt(context, 'RECONCILE_SERVICE');
  await signals.wait(timing.reconcileMs);
  await stage(context, 'PRE_SCALE_UP');
  deployment.enter('SCALE_UP');
  starting.tasks = context.launch(deployment.target.taskDefinition);
  const tasks = await signals.race(circuitBreaker(context, starting.tasks));
  const group = otherGroup(service.live.group);
  await service.loadBalancer?.register(group, tasks.url);
  await stage(context, 'POST_SCALE_UP');
  if (usesTrafficShift(configuration) && service.loadBalancer) {
    deployment.enter('TEST_TRAFFIC_SHIFT');
    await signals.wait(timing.shiftMs);
    deployment.testWeight = 100;
    await stage(context, 'POST_TEST_TRAFFIC_SHIFT');
    for (const weight of productionWeights(configuration)) {
      await stage(context, 'PRE_PRODUCTION_TRAFFIC_SHIFT');
      deployment.enter('PRODUCTION_TRAFFIC_SHIFT');
      await signals.wait(timing.shiftMs);
      await service.loadBalancer.weigh(group, weight);
      deployment.weight = weight;
      deployment.touch();
      if (weight < 100) await signals.wait(stepBakeMinutes(configuration) * MINUTE);
    }
    await stage(context, 'POST_PRODUCTION_TRAFFIC_SHIFT');
    deployment.enter('BAKE_TIME');
    await signals.wait((configuration.bakeTimeInMinutes ?? 0) * MINUTE);
  } else {
    await service.loadBalancer?.weigh(group, 100);
    deployment.weight = 100;
    deployment.testWeight = 100;
  }
  deployment.enter('CLEAN_UP');
  const old = service.live.tasks;
  service.live = { revision: deployment.target, group, tasks };
  await old?.stop();
  await service.loadBalancer?.register(otherGroup(group), undefined);
  // Past clean-up there is nothing to roll back to: its wait is not interruptible.
  await signals.hold(timing.cleanUpMs);
  deployment.setStatus('SUCCESSFUL');
}

/** Tasks failing to start are what the circuit breaker counts: a failure to roll back from. */
async function circuitBreaker(context: LifecycleContext, tasks: Promise<RevisionTasks>) {
  try {
    return await tasks;
  } catch (error) {
    if (error instanceof TasksFailedToStart) {
      throw new TasksFailedToStart(
        `ECS deployment circuit breaker: tasks failed to start. ${error.message}. Rolling back to ${context.deployment.source.arn}.`,
      );
    }
    throw error;
  }
}

async function stage(context: LifecycleContext, name: string): Promise<void> {
  context.deployment.enter(name);
  await hooksAt(context, name);
}

/**
 * The deployment's PAUSE hooks at `stage`: each waits for ContinueServiceDeployment until it expires, then
 * does its timeout action. Lambda hooks are not invoked by the local cloud (they count as succeeded).
 */
async function hooksAt(context: LifecycleContext, stageName: string): Promise<void> {
  const hooks = (context.deployment.configuration.lifecycleHooks ?? []).filter((hook) =>
    (hook.lifecycleStages ?? []).some((candidate) => candidate === stageName),
  );
  for (const hook of hooks) if (hook.targetType === 'PAUSE') await pause(context, hook);
}

async function pause(context: LifecycleContext, hook: DeploymentLifecycleHook): Promise<void> {
  const { deployment, clock } = context;
  const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
  const action = hook.timeoutConfiguration?.action ?? 'ROLLBACK';
  const expiresAt = clock.now() + minutes * MINUTE;
  const detail: DeploymentLifecycleHookDetail = {
    hookId: `ecs-pause-${randomId(43)}`,
    targetType: 'PAUSE',
    status: 'AWAITING_ACTION',
    expiresAt: new Date(expiresAt),
    timeoutAction: action,
  };
  deployment.hooks.push(detail);
  deployment.touch();
  const hookId = detail.hookId ?? '';
  const answered = await deployment.signals.waitFor(expiresAt, () => !!deployment.answerOf(hookId));
  if (answered) return;
  detail.status = 'TIMED_OUT';
  if (action === 'ROLLBACK') throw new Interrupted('The PAUSE lifecycle hook timed out.');
}

async function rollBack(
  context: LifecycleContext,
  starting: { tasks?: Promise<RevisionTasks> },
  reason: string,
): Promise<void> {
  const { deployment, service, timing, clock } = context;
  deployment.setStatus('ROLLBACK_IN_PROGRESS');
  deployment.statusReason = reason;
  deployment.rollback = { reason, startedAt: clock.now() };
  for (const hook of deployment.hooks) if (hook.status === 'AWAITING_ACTION') hook.status = 'FAILED';
  service.taskDefinition = deployment.source.taskDefinition;
  await deployment.signals.hold(timing.rollbackShiftMs);
  await service.loadBalancer?.weigh(service.live.group, 100);
  deployment.weight = 0;
  deployment.testWeight = 0;
  deployment.touch();
  await deployment.signals.hold(timing.drainMs);
  const tasks = await starting.tasks?.catch(() => undefined);
  await tasks?.stop();
  await service.loadBalancer?.register(otherGroup(service.live.group), undefined);
  deployment.setStatus('ROLLBACK_SUCCESSFUL');
}

async function abort(context: LifecycleContext, reason: string): Promise<void> {
  context.deployment.statusReason = reason;
  context.deployment.setStatus('STOPPED');
}

/** While the deployment goes forward, rolls it back as soon as one of its deployment alarms is in ALARM. */
async function watchAlarms(context: LifecycleContext): Promise<void> {
  const { deployment, alarmState, timing } = context;
  const alarms = deployment.configuration.alarms;
  const names = alarms?.alarmNames ?? [];
  if (!alarmState || !alarms?.enable || names.length === 0) return;
  const forward = () => deployment.status === 'PENDING' || deployment.status === 'IN_PROGRESS';
  while (forward() && deployment.stage !== 'CLEAN_UP') {
    const states = await alarmState(names).catch(() => ({}) as Record<string, string>);
    const firing = names.filter((name) => states[name] === 'ALARM');
    if (firing.length > 0 && deployment.signals.interruption === undefined) {
      deployment.triggeredAlarms = firing;
      if (alarms.rollback) deployment.signals.interrupt(`CloudWatch alarm(s) ${firing.join(', ')} in ALARM.`);
      return;
    }
    const down = await deployment.signals.hold(timing.alarmPollMs).then(
      () => false,
      () => true,
    );
    if (down) return;
  }
}
