import type { Permission } from '../../aws/permission';
import { PERMISSIONS as CODEDEPLOY_MODULE_PERMISSIONS } from '../codedeploy/permissions';

/** What both ECS adapters send to read the service and stage a task-definition revision. */
const TASK_DEFINITION_PERMISSIONS: readonly Permission[] = [
  {
    action: 'ecs:DescribeServices',
    resource: "the workload's ECS service",
    why: 'read its task definition, deployment configuration and task sets',
  },
  {
    action: 'ecs:DescribeTaskDefinition',
    resource: "the workload's task-definition family",
    why: 'read the live revision and which release each revision serves',
  },
  {
    action: 'ecs:ListTaskDefinitions',
    resource: 'task definitions, as far as IAM scopes the action',
    why: 'find a revision already registered for the release',
  },
  {
    action: 'ecs:RegisterTaskDefinition',
    resource: "the workload's task-definition family, as far as IAM scopes the action",
    why: 'register the release revision',
  },
  {
    action: 'ecs:TagResource',
    resource: "the workload's task-definition family, with ecs:CreateAction RegisterTaskDefinition",
    why: 'RegisterTaskDefinition with tags (the release tag, the copied tags) is authorized as tag-on-create',
    checkedOn: 'ecs:RegisterTaskDefinition',
  },
  {
    action: 'iam:PassRole',
    resource: "the workload's task role and task execution role, iam:PassedToService ecs-tasks.amazonaws.com",
    why: 'RegisterTaskDefinition passes the roles the copied revision names',
    checkedOn: 'ecs:RegisterTaskDefinition',
  },
];

/** The ECS-native canary/linear adapter (EcsNativePlatform). */
export const NATIVE_PERMISSIONS: readonly Permission[] = [
  ...TASK_DEFINITION_PERMISSIONS,
  {
    action: 'ecs:ListServiceDeployments',
    resource: "the workload's ECS service",
    why: 'find the deployment in flight, also one an interrupted run left',
  },
  {
    action: 'ecs:DescribeServiceDeployments',
    resource: "the workload's service deployments",
    why: 'read the deployment: stage, pause hook, traffic weight, status',
  },
  {
    action: 'ecs:DescribeServiceRevisions',
    resource: "the workload's service revisions",
    why: 'which task definition the deployment deploys and replaces',
  },
  {
    action: 'ecs:UpdateService',
    resource: "the workload's ECS service",
    why: 'start the deployment with the release revision and the pause hook',
  },
  {
    action: 'ecs:ContinueServiceDeployment',
    resource: "the workload's service deployments",
    why: 'continue each step at the pause, or roll back at it',
  },
  {
    action: 'ecs:StopServiceDeployment',
    resource: "the workload's service deployments",
    why: 'roll back a deployment that is not paused',
  },
];

/** The CodeDeploy blue/green adapter (EcsCodeDeployPlatform): the CodeDeploy module's calls and its own. */
export const CODEDEPLOY_PERMISSIONS: readonly Permission[] = [
  ...TASK_DEFINITION_PERMISSIONS,
  ...CODEDEPLOY_MODULE_PERMISSIONS,
];
