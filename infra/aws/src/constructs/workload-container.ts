import { RemovalPolicy } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { acknowledge } from '../nag';
import { REPO_ROOT } from '../paths';

/**
 * Where a workload's image is built from: the repository root (its Dockerfile installs from the root
 * lockfile), narrowed to the root manifests, `workloads/shared` and the workload itself, so that a change
 * to another service neither restages nor rebuilds this image.
 */
export function imageBuildContext(workload: string): { directory: string; file: string; exclude: string[] } {
  return {
    directory: REPO_ROOT,
    file: `workloads/${workload}/Dockerfile`,
    exclude: [
      '*',
      '!package.json',
      '!package-lock.json',
      '!workloads',
      'workloads/*',
      '!workloads/shared',
      `!workloads/${workload}`,
      '**/node_modules',
      '**/dist',
      '**/test',
    ],
  };
}

/** The workload's image, built with its own Dockerfile (staged at synth, built at deploy). */
export function workloadImage(workload: string): ecs.ContainerImage {
  const { directory, ...context } = imageBuildContext(workload);
  return ecs.ContainerImage.fromAsset(directory, { ...context, platform: Platform.LINUX_AMD64 });
}

/** `/ecs/<name>` with the environment's retention, kept when the stack is deleted. */
export function workloadLogGroup(scope: Construct, env: EnvironmentConfig, name: string): logs.LogGroup {
  return new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/ecs/${name}`,
    retention: env.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

export interface TaskRoles {
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;
}

/**
 * Named roles (`<name>-exec`, `<name>-task`) so the deploy role can iam:PassRole exactly these when it
 * registers a new task definition revision.
 */
export function taskRoles(
  scope: Construct,
  name: string,
  descriptions?: { exec: string; task: string },
): TaskRoles {
  return {
    executionRole: new iam.Role(scope, 'ExecutionRole', {
      roleName: `${name}-exec`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      ...(descriptions ? { description: descriptions.exec } : {}),
    }),
    taskRole: new iam.Role(scope, 'TaskRole', {
      roleName: `${name}-task`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      ...(descriptions ? { description: descriptions.task } : {}),
    }),
  };
}

/**
 * The one wildcard every ECS workload's roles need: the ADOT sidecar's X-Ray calls and the image pull's
 * ecr:GetAuthorizationToken have no resource-level permissions.
 */
export function acknowledgeTaskRoleWildcards(taskDefinition: ecs.TaskDefinition): void {
  acknowledge(
    [taskDefinition.taskRole, taskDefinition.obtainExecutionRole()],
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* (ADOT sidecar) and ecr:GetAuthorizationToken ' +
          '(image pull) do not support resource-level permissions.',
        appliesTo: ['Resource::*'],
      },
    ],
  );
}
