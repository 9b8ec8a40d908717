import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry } from '../manifest/registry';
import { acknowledge } from '../nag';
import { APP, clusterName, deployRoleName } from '../naming';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface GithubDeployRoleProps {
  readonly env: EnvironmentConfig;
  /** `OWNER/REPO` whose workflows may assume the role. */
  readonly repository: string;
  /** Workload names per kind, to scope permissions to exactly SecureCart's resources. */
  readonly lambdaFunctions: readonly string[];
  /** ECS services (Fargate and EC2), released by ECS deployments or CodeDeploy. */
  readonly ecsServices: readonly string[];
  /** ECS services released by CodeDeploy blue/green (a subset of ecsServices). */
  readonly codeDeployEcsServices: readonly string[];
  readonly stateMachines: readonly string[];
  readonly appRunnerServices: readonly string[];
  /** Create the account's GitHub OIDC provider (one per account; import it if it already exists). */
  readonly createOidcProvider?: boolean;
}

/**
 * The sub claims allowed per environment. Staging deploys on push to main and from jobs bound to
 * the `staging` GitHub environment; production ONLY from jobs bound to the `production` environment,
 * so its protection rules (required reviewers, branch policy) cannot be skipped by a plain job on main.
 */
export function allowedSubjects(env: EnvironmentConfig, repository: string): string[] {
  return env.name === 'production'
    ? [`repo:${repository}:environment:production`]
    : [`repo:${repository}:ref:refs/heads/main`, `repo:${repository}:environment:${env.name}`];
}

/**
 * GitHub Actions OIDC provider and the environment's deploy role. The role can do what Tollgate's
 * deploy, gate and rollback actions do (shift traffic, read alarms and traces) on SecureCart's
 * resources in this environment, and nothing else: it cannot change infrastructure or IAM.
 */
export class GithubDeployRole extends Construct {
  readonly role: iam.Role;
  readonly provider: iam.IOidcProvider;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const { env, repository } = props;
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) =>
      `arn:${stack.partition}:${service}:${env.region}:${env.account}:${resource}`;

    this.provider =
      props.createOidcProvider === false
        ? iam.OidcProviderNative.fromOidcProviderArn(
            this,
            'Provider',
            `arn:${stack.partition}:iam::${env.account}:oidc-provider/${GITHUB_OIDC_HOST}`,
          )
        : new iam.OidcProviderNative(this, 'Provider', {
            url: `https://${GITHUB_OIDC_HOST}`,
            clientIds: [GITHUB_OIDC_AUDIENCE],
          });

    const subjects = allowedSubjects(env, repository);
    this.role = new iam.Role(this, 'Role', {
      roleName: deployRoleName(env),
      description: `Tollgate deploy/gate/rollback for SecureCart ${env.name} from ${repository}`,
      maxSessionDuration: Duration.hours(2),
      assumedBy: new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subjects,
        },
      }),
    });

    const prefix = `${APP}-${env.name}`;
    const statements: iam.PolicyStatement[] = [
      new iam.PolicyStatement({
        sid: 'LambdaAliasesAndVersions',
        actions: [
          'lambda:GetAlias',
          'lambda:UpdateAlias',
          'lambda:GetFunction',
          'lambda:GetFunctionConfiguration',
          'lambda:ListVersionsByFunction',
          'lambda:ListAliases',
          'lambda:PublishVersion',
          'lambda:UpdateFunctionCode',
        ],
        resources: props.lambdaFunctions.flatMap((fn) => [
          arn('lambda', `function:${prefix}-${fn}`),
          arn('lambda', `function:${prefix}-${fn}:*`),
        ]),
      }),
      new iam.PolicyStatement({
        sid: 'CodeDeployDeployments',
        actions: [
          'codedeploy:CreateDeployment',
          'codedeploy:GetDeployment',
          'codedeploy:StopDeployment',
          'codedeploy:GetDeploymentGroup',
          'codedeploy:ListDeployments',
        ],
        resources: [...props.lambdaFunctions, ...props.codeDeployEcsServices].map((w) =>
          arn('codedeploy', `deploymentgroup:${prefix}-${w}/${prefix}-${w}`),
        ),
      }),
      new iam.PolicyStatement({
        sid: 'CodeDeployRevisions',
        actions: [
          'codedeploy:RegisterApplicationRevision',
          'codedeploy:GetApplicationRevision',
          'codedeploy:GetApplication',
        ],
        resources: [...props.lambdaFunctions, ...props.codeDeployEcsServices].map((w) =>
          arn('codedeploy', `application:${prefix}-${w}`),
        ),
      }),
      new iam.PolicyStatement({
        sid: 'CodeDeployPredefinedConfigs',
        actions: ['codedeploy:GetDeploymentConfig'],
        resources: [arn('codedeploy', 'deploymentconfig:CodeDeployDefault.*')],
      }),
      new iam.PolicyStatement({
        sid: 'EcsServicesAndTaskSets',
        actions: [
          'ecs:DescribeServices',
          'ecs:UpdateService',
          'ecs:DescribeTaskSets',
          'ecs:UpdateServicePrimaryTaskSet',
          'ecs:ListServiceDeployments',
        ],
        resources: props.ecsServices.flatMap((s) => [
          arn('ecs', `service/${clusterName(env, 'ecs')}/${prefix}-${s}`),
          arn('ecs', `task-set/${clusterName(env, 'ecs')}/${prefix}-${s}/*`),
        ]),
      }),
      new iam.PolicyStatement({
        sid: 'EcsServiceDeployments',
        actions: ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'],
        resources: props.ecsServices.map((s) =>
          arn('ecs', `service-deployment/${clusterName(env, 'ecs')}/${prefix}-${s}/*`),
        ),
      }),
      new iam.PolicyStatement({
        sid: 'EcsTaskDefinitionsRead',
        // ecs:DescribeTaskDefinition and RegisterTaskDefinition do not support resource-level permissions.
        actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PassOnlyServiceTaskRoles',
        actions: ['iam:PassRole'],
        resources: props.ecsServices.flatMap((s) => [
          `arn:${stack.partition}:iam::${env.account}:role/${prefix}-${s}-task`,
          `arn:${stack.partition}:iam::${env.account}:role/${prefix}-${s}-exec`,
        ]),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        sid: 'AppRunnerDeployments',
        actions: [
          'apprunner:DescribeService',
          'apprunner:UpdateService',
          'apprunner:StartDeployment',
          'apprunner:ListOperations',
        ],
        resources: props.appRunnerServices.map((s) => arn('apprunner', `service/${prefix}-${s}/*`)),
      }),
      new iam.PolicyStatement({
        sid: 'StepFunctionsAliases',
        actions: [
          'states:DescribeStateMachine',
          'states:DescribeStateMachineAlias',
          'states:UpdateStateMachineAlias',
          'states:PublishStateMachineVersion',
          'states:ListStateMachineVersions',
        ],
        resources: props.stateMachines.flatMap((s) => [
          arn('states', `stateMachine:${prefix}-${s}`),
          arn('states', `stateMachine:${prefix}-${s}:*`),
        ]),
      }),
      new iam.PolicyStatement({
        sid: 'EksDescribeCluster',
        actions: ['eks:DescribeCluster'],
        resources: [arn('eks', `cluster/${clusterName(env, 'eks')}`)],
      }),
      new iam.PolicyStatement({
        sid: 'GatingAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [arn('cloudwatch', `alarm:${prefix}-*`)],
      }),
      new iam.PolicyStatement({
        sid: 'MetricsAndTracesRead',
        // GetMetricData and the X-Ray read APIs do not support resource-level permissions.
        actions: ['cloudwatch:GetMetricData', 'xray:GetTraceSummaries', 'xray:BatchGetTraces'],
        resources: ['*'],
      }),
    ];
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: `${deployRoleName(env)}-policy`,
      description: 'What Tollgate deploy/gate/rollback actions call, scoped to SecureCart resources',
      // A workload kind this environment does not run yields no statement (never an empty resource list).
      statements: statements.filter((statement) => statement.hasResource),
      roles: [this.role],
    });

    acknowledge(policy, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Each wildcard is the narrowest the service allows: ecs:DescribeTaskDefinition/RegisterTaskDefinition, ' +
          'cloudwatch:GetMetricData and xray:GetTraceSummaries/BatchGetTraces have no resource-level permissions; ' +
          "function:<name>:* is the function's versions and aliases; task-set/ and service-deployment/ ids, the " +
          'App Runner service id and state machine versions are generated by AWS; alarm:securecart-<env>-* are ' +
          "this environment's gating alarms; CodeDeployDefault.* are the predefined read-only deployment configs.",
        appliesTo: [
          'Resource::*',
          ...props.lambdaFunctions.map(
            (fn) =>
              `Resource::arn:<AWS::Partition>:lambda:${env.region}:${env.account}:function:${prefix}-${fn}:*`,
          ),
          ...props.ecsServices.map(
            (s) =>
              `Resource::arn:<AWS::Partition>:ecs:${env.region}:${env.account}:task-set/${clusterName(env, 'ecs')}/${prefix}-${s}/*`,
          ),
          ...props.ecsServices.map(
            (s) =>
              `Resource::arn:<AWS::Partition>:ecs:${env.region}:${env.account}:service-deployment/${clusterName(env, 'ecs')}/${prefix}-${s}/*`,
          ),
          ...props.appRunnerServices.map(
            (s) =>
              `Resource::arn:<AWS::Partition>:apprunner:${env.region}:${env.account}:service/${prefix}-${s}/*`,
          ),
          ...props.stateMachines.map(
            (s) =>
              `Resource::arn:<AWS::Partition>:states:${env.region}:${env.account}:stateMachine:${prefix}-${s}:*`,
          ),
          `Resource::arn:<AWS::Partition>:cloudwatch:${env.region}:${env.account}:alarm:${prefix}-*`,
          `Resource::arn:<AWS::Partition>:codedeploy:${env.region}:${env.account}:deploymentconfig:CodeDeployDefault.*`,
        ],
      },
    ]);

    ReleaseManifestRegistry.of(this).registerEnvironment(
      env.name,
      {
        account: env.account,
        region: env.region,
        deployRoleName: deployRoleName(env),
        deployRoleArn: `arn:aws:iam::${env.account}:role/${deployRoleName(env)}`,
        oidcSubjects: subjects,
      },
      repository,
    );
  }
}
