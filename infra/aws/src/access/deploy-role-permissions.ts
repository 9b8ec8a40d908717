import type { EnvironmentConfig } from '../config';
import { APP, clusterName } from '../naming';
import type { PermissionRow } from './permission-table';

/** What each environment's deploy role may release, by platform kind (its permissions are scoped by name). */
export interface DeployRoleWorkloads {
  readonly lambdaFunctions: readonly string[];
  /** ECS services (Fargate and EC2), released by ECS deployments or CodeDeploy. */
  readonly ecsServices: readonly string[];
  /** ECS services released by CodeDeploy blue/green (a subset of ecsServices). */
  readonly codeDeployEcsServices: readonly string[];
  readonly appRunnerServices: readonly string[];
}

type Arn = (service: string, resource: string) => string;

/**
 * The deploy role's permissions, as ONE table: exactly the actions Tollgate's adapters send for the release
 * methods SecureCart's policies choose (pipelines/src/backends/aws-permissions.ts; test/deploy-role.test.ts
 * compares the two), on exactly SecureCart's resources in this environment, and `*` only for actions the
 * Service Authorization Reference gives no resource level. Nothing here changes infrastructure or IAM.
 */
export function deployRolePermissions(
  env: EnvironmentConfig,
  partition: string,
  w: DeployRoleWorkloads,
): PermissionRow[] {
  const arn: Arn = (service, resource) =>
    `arn:${partition}:${service}:${env.region}:${env.account}:${resource}`;
  const prefix = `${APP}-${env.name}`;
  return [
    ...lambdaRows(arn, prefix, w),
    ...codeDeployRows(arn, prefix, w),
    ...ecsRows(arn, partition, env, w),
    ...appRunnerRows(arn, partition, env, w),
    {
      sid: 'EksDescribeCluster',
      actions: ['eks:DescribeCluster'],
      resources: [arn('eks', `cluster/${clusterName(env, 'eks')}`)],
      why: 'the endpoint and CA of the cluster whose namespace-scoped access entry the role has',
    },
    {
      sid: 'GatingAlarms',
      actions: ['cloudwatch:DescribeAlarms'],
      resources: [arn('cloudwatch', `alarm:${prefix}-*`)],
      why: 'read the gating alarms, all named securecart-<env>-<workload>-<signal>',
    },
    {
      sid: 'TraceSummaries',
      actions: ['xray:GetTraceSummaries'],
      resources: ['*'],
      why: 'canary-vs-baseline latency and faults; GetTraceSummaries has no resource level',
    },
  ];
}

function lambdaRows(arn: Arn, prefix: string, w: DeployRoleWorkloads): PermissionRow[] {
  return [
    {
      sid: 'LambdaVersionsAndAliases',
      actions: [
        'lambda:GetAlias',
        'lambda:UpdateAlias',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:ListVersionsByFunction',
        'lambda:UpdateFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:PublishVersion',
      ],
      resources: w.lambdaFunctions.flatMap((fn) => [
        arn('lambda', `function:${prefix}-${fn}`),
        arn('lambda', `function:${prefix}-${fn}:*`),
      ]),
      why: 'stage a version (RELEASE_VERSION and code on $LATEST, then publish) and move the live alias; function:<name>:* is its versions and aliases',
    },
  ];
}

function codeDeployRows(arn: Arn, prefix: string, w: DeployRoleWorkloads): PermissionRow[] {
  const workloads = [...w.lambdaFunctions, ...w.codeDeployEcsServices];
  const some = (resources: string[]) => (workloads.length > 0 ? resources : []);
  return [
    {
      sid: 'CodeDeployDeployments',
      actions: [
        'codedeploy:CreateDeployment',
        'codedeploy:GetDeployment',
        'codedeploy:GetDeploymentGroup',
        'codedeploy:ListDeployments',
      ],
      resources: workloads.map((x) => arn('codedeploy', `deploymentgroup:${prefix}-${x}/${prefix}-${x}`)),
      why: 'platform-driven releases (Lambda traffic: platform, checkout blue/green) run as deployments of these groups',
    },
    {
      sid: 'CodeDeployProgressAndStop',
      actions: [
        'codedeploy:ListDeploymentTargets',
        'codedeploy:GetDeploymentTarget',
        'codedeploy:StopDeployment',
      ],
      resources: some(['*']),
      why: "follow a deployment's traffic and stop it with rollback; these three have no resource level",
    },
    {
      sid: 'CodeDeployRevisions',
      actions: ['codedeploy:RegisterApplicationRevision'],
      resources: workloads.map((x) => arn('codedeploy', `application:${prefix}-${x}`)),
      why: 'CreateDeployment registers its AppSpec revision on the application of the same name',
    },
    {
      sid: 'CodeDeployConfigs',
      actions: ['codedeploy:GetDeploymentConfig'],
      resources: some([
        arn('codedeploy', 'deploymentconfig:CodeDeployDefault.*'),
        arn('codedeploy', 'deploymentconfig:Tollgate.*'),
      ]),
      why: 'read the predefined configuration a policy names, or the Tollgate one made for its shape',
    },
    {
      sid: 'CodeDeployTollgateConfigs',
      actions: ['codedeploy:CreateDeploymentConfig'],
      resources: some([arn('codedeploy', 'deploymentconfig:Tollgate.*')]),
      why: 'a policy shape no predefined configuration has gets one, named Tollgate.<shape>, created once',
    },
  ];
}

function ecsRows(
  arn: Arn,
  partition: string,
  env: EnvironmentConfig,
  w: DeployRoleWorkloads,
): PermissionRow[] {
  const prefix = `${APP}-${env.name}`;
  const cluster = clusterName(env, 'ecs');
  const services = w.ecsServices.map((s) => arn('ecs', `service/${cluster}/${prefix}-${s}`));
  const under = (kind: string) => w.ecsServices.map((s) => arn('ecs', `${kind}/${cluster}/${prefix}-${s}/*`));
  const families = w.ecsServices.map((s) => arn('ecs', `task-definition/${prefix}-${s}:*`));
  const some = (resources: string[]) => (w.ecsServices.length > 0 ? resources : []);
  return [
    {
      sid: 'EcsServices',
      actions: ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:ListServiceDeployments'],
      resources: services,
      why: 'read a service and its task sets, start an ECS-native deployment, find the one in flight',
    },
    {
      sid: 'EcsServiceDeployments',
      actions: [
        'ecs:DescribeServiceDeployments',
        'ecs:ContinueServiceDeployment',
        'ecs:StopServiceDeployment',
      ],
      resources: [...services, ...under('service-deployment')],
      why: 'follow an ECS-native deployment, continue it past each pause or roll it back; ids are generated by ECS',
    },
    {
      sid: 'EcsServiceRevisions',
      actions: ['ecs:DescribeServiceRevisions'],
      resources: [...services, ...under('service-revision')],
      why: 'which task definition a deployment deploys and which it replaces',
    },
    {
      sid: 'EcsTaskDefinitionReads',
      actions: ['ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions'],
      resources: some(['*']),
      why: 'read the live revision and find one already registered for the release; neither has a resource level',
    },
    {
      sid: 'EcsRegisterTaskDefinitions',
      actions: ['ecs:RegisterTaskDefinition'],
      resources: families,
      why: "register the release's revision of the service's own family",
    },
    {
      sid: 'EcsTagOnRegister',
      actions: ['ecs:TagResource'],
      resources: families,
      conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      why: 'a revision is registered with its tags (the release, the copied ones): tag-on-create only',
    },
    {
      sid: 'PassOnlyServiceTaskRoles',
      actions: ['iam:PassRole'],
      resources: w.ecsServices.flatMap((s) => [
        `arn:${partition}:iam::${env.account}:role/${prefix}-${s}-task`,
        `arn:${partition}:iam::${env.account}:role/${prefix}-${s}-exec`,
      ]),
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      why: "a new revision keeps the service's own task and execution roles, passed to ECS tasks only",
    },
  ];
}

function appRunnerRows(
  arn: Arn,
  partition: string,
  env: EnvironmentConfig,
  w: DeployRoleWorkloads,
): PermissionRow[] {
  const prefix = `${APP}-${env.name}`;
  return [
    {
      sid: 'AppRunnerFindService',
      actions: ['apprunner:ListServices'],
      resources: w.appRunnerServices.length > 0 ? ['*'] : [],
      why: 'find the service ARN by its name; ListServices has no resource level',
    },
    {
      sid: 'AppRunnerDeployments',
      actions: [
        'apprunner:DescribeService',
        'apprunner:ListOperations',
        'apprunner:ListTagsForResource',
        'apprunner:TagResource',
        'apprunner:UpdateService',
      ],
      resources: w.appRunnerServices.map((s) => arn('apprunner', `service/${prefix}-${s}/*`)),
      why: 'deploy the new image (or the previous one back), follow the update, tag what ran before; the id after the name is generated',
    },
    {
      sid: 'PassOnlyAppRunnerAccessRoles',
      actions: ['iam:PassRole'],
      resources: w.appRunnerServices.map(
        (s) => `arn:${partition}:iam::${env.account}:role/${prefix}-${s}-access`,
      ),
      conditions: { StringEquals: { 'iam:PassedToService': 'apprunner.amazonaws.com' } },
      why: 'UpdateService passes the ECR access role of the image source back to App Runner',
    },
  ];
}
