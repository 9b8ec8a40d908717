import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { acknowledge } from '../nag';

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
