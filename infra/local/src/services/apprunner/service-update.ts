import { randomUUID } from 'node:crypto';
import type { OperationSummary, SourceConfiguration } from '@aws-sdk/client-apprunner';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { type FaultPlan, versionFault } from '../../faults/fault-plan';
import type { ContainerRuntime, ContainerSpec, RunningContainer } from '../../runtime/container-runtime';
import type { ServiceRecord } from './service-record';

/** How long the phases of an update take, in cloud ms. */
export interface UpdateTiming {
  /** Pulling the image and provisioning instances before the new version starts. */
  provisionMs: number;
  /** How long App Runner waits for the new instance to pass its health check before rolling back. */
  healthTimeoutMs: number;
  /** Old instances drain after traffic has moved, before the operation ends. */
  drainMs: number;
  /** Tearing the failed instances down before the rollback ends. */
  rollbackMs: number;
}

export const DEFAULT_UPDATE_TIMING: UpdateTiming = {
  provisionMs: 60_000,
  healthTimeoutMs: 5 * 60_000,
  drainMs: 30_000,
  rollbackMs: 60_000,
};

export interface InstanceStarter {
  clock: ScaledClock;
  faults: FaultPlan;
  runtime: ContainerRuntime;
}

/** The instance of a source configuration: its image, its runtime variables, the version's faults. */
export function startInstance(
  record: ServiceRecord,
  source: SourceConfiguration,
  { runtime, faults }: InstanceStarter,
): Promise<RunningContainer> {
  const repository = source.ImageRepository;
  const env = { ...(repository?.ImageConfiguration?.RuntimeEnvironmentVariables ?? {}) };
  const image = repository?.ImageIdentifier ?? '';
  const spec: ContainerSpec = { workload: record.workload, image, env, logGroup: record.logGroup };
  const fault = versionFault(faults, record.workload, env.RELEASE_VERSION ?? image.split(':').pop() ?? '');
  if (fault) spec.fault = fault;
  return runtime.start(spec);
}

/** Sends all of the service URL's traffic to `instance` at once, as App Runner switches. */
export function serveFrom(record: ServiceRecord, instance: RunningContainer): void {
  record.instance = instance;
  record.router.setTargets([{ id: `${record.id}/${instance.id}`, url: instance.url, weight: 1 }]);
}

/** Records a new operation on the service, newest last. */
export function beginOperation(
  record: ServiceRecord,
  type: 'UPDATE_SERVICE' | 'CREATE_SERVICE',
  now: number,
) {
  const operation: OperationSummary = {
    Id: randomUUID(),
    Type: type,
    Status: 'IN_PROGRESS',
    TargetArn: record.arn,
    StartedAt: new Date(now),
    UpdatedAt: new Date(now),
  };
  record.operations.push(operation);
  return operation;
}

/**
 * One update on cloud time: provisioning, the new instance started and health-checked, then all traffic
 * moved to it and the old instance drained and stopped (SUCCEEDED); a new instance that fails its health
 * check is torn down and the previous configuration kept serving (ROLLBACK_IN_PROGRESS, then
 * ROLLBACK_SUCCEEDED).
 */
export async function runUpdate(
  record: ServiceRecord,
  operation: OperationSummary,
  previous: SourceConfiguration,
  starter: InstanceStarter,
  timing: UpdateTiming,
): Promise<void> {
  const { clock } = starter;
  await clock.sleep(timing.provisionMs);
  let instance: RunningContainer | undefined;
  try {
    instance = await startInstance(record, record.source, starter);
    await healthy(instance, clock, timing.healthTimeoutMs);
  } catch {
    await rollBack(record, operation, previous, instance, starter.clock, timing);
    return;
  }
  const old = record.instance;
  serveFrom(record, instance);
  await clock.sleep(timing.drainMs);
  await old?.stop();
  finish(record, operation, 'SUCCEEDED', clock.now());
}

async function rollBack(
  record: ServiceRecord,
  operation: OperationSummary,
  previous: SourceConfiguration,
  instance: RunningContainer | undefined,
  clock: ScaledClock,
  timing: UpdateTiming,
): Promise<void> {
  operation.Status = 'ROLLBACK_IN_PROGRESS';
  operation.UpdatedAt = new Date(clock.now());
  await instance?.stop();
  await clock.sleep(timing.rollbackMs);
  record.source = previous;
  finish(record, operation, 'ROLLBACK_SUCCEEDED', clock.now());
}

function finish(
  record: ServiceRecord,
  operation: OperationSummary,
  status: 'SUCCEEDED' | 'ROLLBACK_SUCCEEDED',
  now: number,
) {
  operation.Status = status;
  operation.EndedAt = new Date(now);
  operation.UpdatedAt = new Date(now);
  record.status = 'RUNNING';
  record.updatedAt = now;
}

/** Resolves when the instance is healthy; rejects when it exits first or stays unhealthy past the timeout. */
async function healthy(instance: RunningContainer, clock: ScaledClock, timeoutMs: number): Promise<void> {
  const timeout = new AbortController();
  const expired = clock.sleep(timeoutMs, timeout.signal).then(() => {
    throw new Error(`the instance was not healthy within ${timeoutMs / 1000} s`);
  });
  try {
    await Promise.race([instance.ready, expired]);
  } finally {
    timeout.abort();
    expired.catch(() => undefined);
  }
}
