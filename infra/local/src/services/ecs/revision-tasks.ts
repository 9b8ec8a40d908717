import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import { type FaultPlan, versionFault } from '../../faults/fault-plan';
import type { ContainerRuntime, ContainerSpec, RunningContainer } from '../../runtime/container-runtime';

/** The tasks one revision of a service runs: one local process per task, all serving the same version. */
export interface RevisionTasks {
  readonly version: string;
  readonly containers: readonly RunningContainer[];
  /** Where the target group that holds these tasks sends requests: the first task's URL. */
  readonly url: string;
  stop(): Promise<void>;
}

/** The tasks did not become healthy: what ECS's deployment circuit breaker reacts to. */
export class TasksFailedToStart extends Error {}

export interface TaskLaunch {
  runtime: ContainerRuntime;
  faults: FaultPlan;
  /** The SecureCart workload the service runs (which code the runtime starts). */
  workload: string;
  /** The container the load balancer sends traffic to (the service's `containerName`). */
  containerName: string;
  count: number;
}

/**
 * Starts `count` tasks of `taskDefinition` and waits until each answers its health check. The version is the
 * container's RELEASE_VERSION, else its image tag (what the workload reports in its traces either way).
 */
export async function startRevisionTasks(
  taskDefinition: TaskDefinition,
  launch: TaskLaunch,
): Promise<RevisionTasks> {
  const container = appContainer(taskDefinition, launch.containerName);
  const spec = specOf(container, taskDefinition, launch);
  const started: RunningContainer[] = [];
  const stop = async () => {
    await Promise.all(started.map((running) => running.stop()));
  };
  try {
    for (let i = 0; i < Math.max(1, launch.count); i += 1) started.push(await launch.runtime.start(spec));
    await Promise.all(started.map((running) => running.ready));
  } catch (error) {
    await stop().catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new TasksFailedToStart(`tasks of ${taskDefinition.taskDefinitionArn} failed to start: ${why}`);
  }
  const [first] = started;
  if (!first) throw new TasksFailedToStart(`no task of ${taskDefinition.taskDefinitionArn} started`);
  return { version: spec.env.RELEASE_VERSION ?? '', containers: started, url: first.url, stop };
}

function appContainer(taskDefinition: TaskDefinition, name: string): ContainerDefinition {
  const containers = taskDefinition.containerDefinitions ?? [];
  const container = containers.find((candidate) => candidate.name === name) ?? containers[0];
  if (!container) throw new TasksFailedToStart(`${taskDefinition.taskDefinitionArn} has no container`);
  return container;
}

function specOf(container: ContainerDefinition, taskDefinition: TaskDefinition, launch: TaskLaunch) {
  const env: Record<string, string> = {};
  for (const variable of container.environment ?? [])
    if (variable.name && variable.value !== undefined) env[variable.name] = variable.value;
  const image = container.image ?? '';
  const version =
    env.RELEASE_VERSION ?? imageTag(image) ?? `${taskDefinition.family}:${taskDefinition.revision}`;
  env.RELEASE_VERSION = version;
  const logGroup =
    container.logConfiguration?.options?.['awslogs-group'] ??
    `/ecs/${taskDefinition.family ?? launch.workload}`;
  const spec: ContainerSpec = { workload: launch.workload, image, env, logGroup };
  const fault = versionFault(launch.faults, launch.workload, version);
  if (fault) spec.fault = fault;
  return spec;
}

/** `repo:1.2.0` → `1.2.0`; an image named by digest only has no tag. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : undefined;
}
