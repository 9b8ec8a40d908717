import type { TaskSet } from '@aws-sdk/client-ecs';
import { AwsServiceError } from '../service';
import { taskSetArn } from './ecs-arns';
import type { EcsServiceRecord, EcsStore } from './ecs-store';
import { otherGroup, type TargetGroupLabel } from './load-balancer';
import type { RevisionTasks } from './revision-tasks';
import type { TaskSetRecord } from './task-set-record';

/** What CodeDeploy does to an ECS service with the CODE_DEPLOY controller during a blue/green deployment. */
export interface BlueGreenService {
  readonly record: EcsServiceRecord;
  primary(): TaskSetRecord;
  /** Creates the replacement task set in the other target group; resolves once its tasks are healthy. */
  createTaskSet(taskDefinition: string, externalId: string): Promise<TaskSetRecord>;
  /** Moves the production listener: `percent` of its traffic to `green`'s target group. */
  shift(green: TaskSetRecord, percent: number): Promise<void>;
  /** All traffic is on `green`: it becomes the PRIMARY task set, the old one ACTIVE until removed. */
  promote(green: TaskSetRecord): void;
  /** Deletes a task set: its tasks stop and it leaves its target group. */
  remove(set: TaskSetRecord): Promise<void>;
}

export interface BlueGreenDependencies {
  store: EcsStore;
  now(): number;
  launch(service: EcsServiceRecord, taskDefinition: string): Promise<RevisionTasks>;
}

/** The CODE_DEPLOY service `cluster/service`, for CodeDeploy to drive. */
export function blueGreenService(
  deps: BlueGreenDependencies,
  cluster: string,
  name: string,
): BlueGreenService {
  const record = deps.store.service(cluster, name);
  if (record.controller !== 'CODE_DEPLOY') {
    throw new AwsServiceError(
      'InvalidParameterException',
      `The service ${name} uses the ${record.controller} deployment controller; CodeDeploy deploys only services with the CODE_DEPLOY controller.`,
    );
  }
  const primary = () => {
    const set = record.taskSets.find((candidate) => candidate.status === 'PRIMARY');
    if (!set) throw new AwsServiceError('ServerException', `The service ${name} has no PRIMARY task set.`);
    return set;
  };
  return {
    record,
    primary,
    async createTaskSet(taskDefinition, externalId) {
      const group = otherGroup(primary().group);
      const set = newTaskSet(deps, record, taskDefinition, group, 'ACTIVE');
      set.externalId = externalId;
      record.taskSets.push(set);
      set.tasks = await deps.launch(record, taskDefinition);
      await record.loadBalancer?.register(group, set.tasks.url);
      return set;
    },
    async shift(green, percent) {
      await record.loadBalancer?.weigh(green.group, percent);
    },
    promote(green) {
      const old = primary();
      old.status = 'ACTIVE';
      green.status = 'PRIMARY';
      old.updatedAt = deps.now();
      green.updatedAt = old.updatedAt;
      record.taskDefinition = green.taskDefinition;
      record.live = { ...record.live, group: green.group };
    },
    async remove(set) {
      record.taskSets = record.taskSets.filter((candidate) => candidate !== set);
      await set.tasks?.stop();
      await record.loadBalancer?.register(set.group, undefined);
    },
  };
}

export function newTaskSet(
  deps: Pick<BlueGreenDependencies, 'now' | 'store'>,
  record: EcsServiceRecord,
  taskDefinition: string,
  group: TargetGroupLabel,
  status: TaskSetRecord['status'],
): TaskSetRecord {
  const id = `ecs-svc/${deps.store.nextTaskSetId()}`;
  const now = deps.now();
  const arn = taskSetArn(record.cluster.home, record.cluster.name, record.name, id.replace('ecs-svc/', ''));
  return { id, arn, taskDefinition, status, createdAt: now, updatedAt: now, group };
}

/** A task set as DescribeServices reports it. */
export function taskSetView(record: EcsServiceRecord, set: TaskSetRecord): TaskSet {
  const count = set.tasks?.containers.filter((container) => container.running()).length ?? 0;
  const view: TaskSet = {
    id: set.id,
    taskSetArn: set.arn,
    serviceArn: record.arn,
    clusterArn: record.cluster.arn,
    status: set.status,
    taskDefinition: set.taskDefinition,
    computedDesiredCount: record.desiredCount,
    pendingCount: set.tasks ? 0 : record.desiredCount,
    runningCount: count,
    createdAt: new Date(set.createdAt),
    updatedAt: new Date(set.updatedAt),
    launchType: 'FARGATE',
    scale: { value: 100, unit: 'PERCENT' },
    stabilityStatus: set.tasks ? 'STEADY_STATE' : 'STABILIZING',
  };
  if (set.externalId) view.externalId = set.externalId;
  return view;
}
