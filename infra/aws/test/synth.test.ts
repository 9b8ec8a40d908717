import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentConfig, repositoryFromContext } from '../src/config';
import { DeployAccessStack } from '../src/stacks/deploy-access-stack';
import { type Synthesized, synthesizeApp } from './synth-helper';

let s: Synthesized;

beforeAll(() => {
  s = synthesizeApp();
  console.log(`[infra] synthesized the SecureCart app (12 stacks) in ${(s.ms / 1000).toFixed(1)} s`);
}, 120_000);

const ENVS = ['staging', 'production'] as const;
const FUNCTIONS = ['order-processing', 'payments', 'fraud-detection', 'inventory-sync'] as const;

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }>;
function resources(env: (typeof ENVS)[number], part: string, type: string): Resources {
  return s.template(env, part).findResources(type) as Resources;
}
function logicalIdOf(
  env: (typeof ENVS)[number],
  part: string,
  type: string,
  props: Record<string, unknown>,
): string {
  const found = Object.keys(s.template(env, part).findResources(type, { Properties: props }));
  expect(found, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as string;
}

describe('synth', () => {
  it('runs offline in seconds', () => {
    expect(s.ms).toBeLessThan(60_000);
  });

  it('needs no context lookups (which would need AWS credentials)', () => {
    expect(s.sc.app.synth().manifest.missing ?? []).toEqual([]);
  });
});

describe.each(ENVS)('%s: Lambda canaries', (env) => {
  it.each(FUNCTIONS)(
    '%s: live alias, CodeDeploy group with its alarms and auto-rollback, X-Ray active',
    (fn) => {
      const t = s.template(env, 'Serverless');
      const name = `securecart-${env}-${fn}`;
      const functionId = logicalIdOf(env, 'Serverless', 'AWS::Lambda::Function', { FunctionName: name });
      t.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: name,
        TracingConfig: { Mode: 'Active' },
        Runtime: 'nodejs24.x',
        LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }),
        Environment: { Variables: Match.objectLike({ RELEASE_VERSION: Match.anyValue() }) },
      });
      t.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/${name}`,
        RetentionInDays: env === 'production' ? 365 : 30,
      });
      const aliasId = logicalIdOf(env, 'Serverless', 'AWS::Lambda::Alias', {
        Name: 'live',
        FunctionName: { Ref: functionId },
      });
      t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
        ApplicationName: Match.anyValue(),
        DeploymentGroupName: name,
        DeploymentConfigName:
          env === 'production'
            ? 'CodeDeployDefault.LambdaCanary10Percent10Minutes'
            : 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AlarmConfiguration: {
          Enabled: true,
          Alarms: Match.arrayWith([
            { Name: { Ref: Match.stringLikeRegexp('ErrorsAlarm') } },
            { Name: { Ref: Match.stringLikeRegexp('LatencyAlarm') } },
          ]),
        },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
        },
      });
      // The alias is what CodeDeploy shifts: its UpdatePolicy names the deployment group.
      const alias = resources(env, 'Serverless', 'AWS::Lambda::Alias')[aliasId] as unknown as {
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: { DeploymentGroupName: unknown } };
      };
      expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName).toBeDefined();
      for (const signal of ['errors', 'p99-latency', 'throttles']) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `${name}-${signal}`,
          Dimensions: Match.arrayWith([
            { Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: functionId }, ':live']] } },
          ]),
        });
      }
    },
  );

  it('order-processing also gates on the HTTP API 5xx; the API integrates the live alias with IAM auth', () => {
    const t = s.template(env, 'Serverless');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `securecart-${env}-order-processing-5xx`,
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
    });
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentGroupName: `securecart-${env}-order-processing`,
      AlarmConfiguration: Match.objectLike({
        Alarms: Match.arrayWith([{ Name: { Ref: Match.stringLikeRegexp('OrderApi5xxAlarm') } }]),
      }),
    });
    const aliasId = logicalIdOf(env, 'Serverless', 'AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: Match.stringLikeRegexp('OrderProcessing') },
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { Ref: aliasId },
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /orders',
      AuthorizationType: 'AWS_IAM',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('inventory-sync consumes the inventory stream through its live alias, with a DLQ', () => {
    const t = s.template(env, 'Serverless');
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: `securecart-${env}-inventory`,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    const aliasId = logicalIdOf(env, 'Serverless', 'AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: Match.stringLikeRegexp('InventorySync') },
    });
    const mappings = resources(env, 'Serverless', 'AWS::Lambda::EventSourceMapping');
    const mapping = Object.values(mappings)[0]?.Properties ?? {};
    expect(JSON.stringify(mapping.FunctionName)).toContain(aliasId);
    expect(JSON.stringify(mapping.FunctionName)).toContain(':live');
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('InventoryTable'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('routes OrderPlaced events from the order bus', () => {
    s.template(env, 'Serverless').hasResourceProperties('AWS::Events::Rule', {
      Name: `securecart-${env}-order-placed`,
      EventPattern: { source: ['securecart.orders'], 'detail-type': ['OrderPlaced'] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('CustomerTopic') } })],
    });
  });
});

describe.each(ENVS)('%s: fulfillment state machine', (env) => {
  it('traced, logged at ALL, published behind a live alias that canaries with alarms', () => {
    const t = s.template(env, 'Serverless');
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `securecart-${env}-fulfillment`,
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    t.hasResourceProperties('AWS::StepFunctions::StateMachineAlias', {
      Name: 'live',
      DeploymentPreference: Match.objectLike({
        Type: 'CANARY',
        Alarms: [
          { Ref: Match.stringLikeRegexp('FulfillmentFailedAlarm') },
          { Ref: Match.stringLikeRegexp('FulfillmentTimedOutAlarm') },
          { Ref: Match.stringLikeRegexp('FulfillmentLatencyAlarm') },
        ],
      }),
    });
    // order-processing starts executions through the alias, and may do nothing else with Step Functions.
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `securecart-${env}-order-processing`,
      Environment: {
        Variables: Match.objectLike({
          FULFILLMENT_STATE_MACHINE_ARN: {
            'Fn::Join': [
              '',
              Match.arrayWith([
                `:states:eu-west-1:${accountOf(env)}:stateMachine:securecart-${env}-fulfillment:live`,
              ]),
            ],
          },
          EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('OrderEvents') },
        }),
      },
    });
  });
});

function accountOf(env: (typeof ENVS)[number]): string {
  return env === 'staging' ? '111111111111' : '222222222222';
}

describe.each(ENVS)('%s: Fargate services', (env) => {
  it('checkout: CodeDeploy blue/green with two target groups, production and test listeners', () => {
    const t = s.template(env, 'Containers');
    const short = env === 'staging' ? 'stg' : 'prd';
    const blue = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: `sc-${short}-checkout-blue`,
    });
    const green = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: `sc-${short}-checkout-green`,
    });
    const prod = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      LoadBalancerArn: { Ref: Match.stringLikeRegexp('CheckoutAlb') },
    });
    const test = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::Listener', {
      Port: 8443,
      LoadBalancerArn: { Ref: Match.stringLikeRegexp('CheckoutAlb') },
    });
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: `securecart-${env}-checkout`,
      DeploymentController: { Type: 'CODE_DEPLOY' },
      LoadBalancers: [Match.objectLike({ TargetGroupArn: { Ref: blue }, ContainerPort: 8080 })],
    });
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentGroupName: `securecart-${env}-checkout`,
      DeploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
      BlueGreenDeploymentConfiguration: Match.objectLike({
        TerminateBlueInstancesOnDeploymentSuccess: Match.objectLike({ Action: 'TERMINATE' }),
      }),
      LoadBalancerInfo: {
        TargetGroupPairInfoList: [
          {
            TargetGroups: [
              { Name: { 'Fn::GetAtt': [blue, 'TargetGroupName'] } },
              { Name: { 'Fn::GetAtt': [green, 'TargetGroupName'] } },
            ],
            ProdTrafficRoute: { ListenerArns: [{ Ref: prod }] },
            TestTrafficRoute: { ListenerArns: [{ Ref: test }] },
          },
        ],
      },
      AlarmConfiguration: {
        Enabled: true,
        Alarms: [
          { Name: { Ref: Match.stringLikeRegexp('CheckoutTargetErrorsAlarm') } },
          { Name: { Ref: Match.stringLikeRegexp('CheckoutElb5xxAlarm') } },
          { Name: { Ref: Match.stringLikeRegexp('CheckoutLatencyAlarm') } },
        ],
      },
      AutoRollbackConfiguration: { Enabled: true, Events: Match.arrayWith(['DEPLOYMENT_STOP_ON_ALARM']) },
    });
  });

  it('auth: ECS-native CANARY with alternate target group, listener rules, alarms and circuit breaker', () => {
    const t = s.template(env, 'Containers');
    const short = env === 'staging' ? 'stg' : 'prd';
    const green = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: `sc-${short}-auth-green`,
    });
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: `securecart-${env}-auth`,
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'CANARY',
        CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        Alarms: {
          Enable: true,
          Rollback: true,
          AlarmNames: [
            `securecart-${env}-auth-errors`,
            `securecart-${env}-auth-5xx`,
            `securecart-${env}-auth-p99-latency`,
          ],
        },
      }),
      LoadBalancers: [
        Match.objectLike({
          AdvancedConfiguration: Match.objectLike({
            AlternateTargetGroupArn: { Ref: green },
            ProductionListenerRule: { Ref: Match.stringLikeRegexp('AuthProductionRule') },
            TestListenerRule: { Ref: Match.stringLikeRegexp('AuthTestRule') },
          }),
        }),
      ],
    });
  });

  it.each(['checkout', 'auth'])(
    '%s: X-Ray via ADOT sidecar, logs with retention, auto scaling, gating alarms',
    (w) => {
      const t = s.template(env, 'Containers');
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: `securecart-${env}-${w}`,
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: w,
            Environment: Match.arrayWith([
              { Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://127.0.0.1:4318' },
            ]),
            LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          }),
          Match.objectLike({
            Name: 'otel-collector',
            Image: Match.stringLikeRegexp('aws-otel-collector'),
            Environment: [{ Name: 'AOT_CONFIG_CONTENT', Value: Match.stringLikeRegexp('awsxray') }],
          }),
        ]),
      });
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments']), Effect: 'Allow' }),
          ]),
        },
        Roles: [{ Ref: Match.stringLikeRegexp(`${w === 'auth' ? 'Auth' : 'Checkout'}TaskRole`) }],
      });
      t.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/ecs/securecart-${env}-${w}`,
        RetentionInDays: env === 'production' ? 365 : 30,
      });
      const serviceId = logicalIdOf(env, 'Containers', 'AWS::ECS::Service', {
        ServiceName: `securecart-${env}-${w}`,
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ResourceId: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [serviceId, 'Name'] }])] },
        MinCapacity: env === 'production' ? 3 : 2,
        MaxCapacity: env === 'production' ? 12 : 4,
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        }),
      });
      for (const signal of ['errors', '5xx', 'p99-latency']) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `securecart-${env}-${w}-${signal}` });
      }
    },
  );

  it('order-batch: nightly task on an EC2 Auto Scaling capacity provider, traced, with gating alarms', () => {
    const t = s.template(env, 'Containers');
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      AutoScalingGroupName: `securecart-${env}-order-batch-capacity`,
      NotificationConfigurations: Match.anyValue(),
    });
    t.hasResourceProperties('AWS::ECS::CapacityProvider', {
      Name: `securecart-${env}-order-batch-cp`,
      AutoScalingGroupProvider: Match.objectLike({ ManagedScaling: Match.objectLike({ Status: 'ENABLED' }) }),
    });
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      }),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: `securecart-${env}-order-batch-nightly`,
      ScheduleExpression: 'cron(30 2 * * ? *)',
      Targets: [Match.objectLike({ EcsParameters: Match.objectLike({ LaunchType: 'EC2' }) })],
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: `securecart-${env}-order-batch`,
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'otel-collector' })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `securecart-${env}-order-batch-errors` });
  });
});

describe.each(ENVS)('%s: EKS, App Runner', (env) => {
  it('recommendations: eks-v2 cluster, no kubectl provider, namespace-scoped deploy access, all control-plane logs', () => {
    const t = s.template(env, 'Kubernetes');
    t.hasResourceProperties('AWS::EKS::Cluster', {
      Name: `securecart-${env}-eks`,
      Logging: { ClusterLogging: { EnabledTypes: Match.arrayWith([{ Type: 'api' }, { Type: 'audit' }]) } },
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
    });
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([`:iam::${accountOf(env)}:role/securecart-${env}-github-deploy`])],
      }),
      AccessPolicies: [
        { PolicyArn: Match.anyValue(), AccessScope: { Type: 'namespace', Namespaces: ['recommendations'] } },
      ],
    });
    expect(JSON.stringify(t.findResources('AWS::EKS::AccessEntry'))).toContain('AmazonEKSEditPolicy');
    t.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' });
    // No kubectl Lambda (would need a layer and network at deploy): no custom resources at all.
    expect(Object.keys(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'))).toHaveLength(0);
    expect(Object.keys(t.findResources('AWS::Lambda::Function'))).toHaveLength(0);
  });

  it('product-search: App Runner with X-Ray observability and gating alarms', () => {
    const t = s.template(env, 'AppRunner');
    t.hasResourceProperties('AWS::AppRunner::ObservabilityConfiguration', {
      TraceConfiguration: { Vendor: 'AWSXRAY' },
    });
    t.hasResourceProperties('AWS::AppRunner::Service', {
      ServiceName: `securecart-${env}-product-search`,
      ObservabilityConfiguration: {
        ObservabilityEnabled: true,
        ObservabilityConfigurationArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('Observability'), 'ObservabilityConfigurationArn'],
        },
      },
      HealthCheckConfiguration: Match.objectLike({ Path: '/health' }),
    });
    for (const signal of ['5xx', 'errors', 'p99-latency']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `securecart-${env}-product-search-${signal}`,
      });
    }
  });
});

describe('GitHub OIDC deploy roles', () => {
  it.each([
    [
      'staging',
      ['repo:securecart/securecart:ref:refs/heads/main', 'repo:securecart/securecart:environment:staging'],
    ],
    ['production', ['repo:securecart/securecart:environment:production']],
  ] as const)(
    '%s: trust limited to the repository, its main branch / environment, audience sts',
    (env, subjects) => {
      const t = s.template(env, 'DeployAccess');
      t.hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `securecart-${env}-github-deploy`,
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRoleWithWebIdentity',
              Effect: 'Allow',
              Principal: { Federated: { Ref: Match.stringLikeRegexp('GithubDeployProvider') } },
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': [...subjects],
                },
              },
            },
          ],
        },
      });
    },
  );

  it('the repository comes from context', () => {
    const other = synthesizeRoleOnly('acme/shop');
    expect(other).toContain('repo:acme/shop:environment:production');
  });

  it('deploy permissions are scoped to SecureCart resources; wildcards only where AWS allows nothing narrower', () => {
    const policies = s
      .template('production', 'DeployAccess')
      .findResources('AWS::IAM::ManagedPolicy') as Resources;
    type Statement = { Sid: string; Action: string | string[]; Resource: unknown };
    const statements = Object.values(policies).flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );
    const actions = statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions.some((a) => a.endsWith('*'))).toBe(false);
    expect(actions).not.toContain('iam:CreateRole');
    for (const required of [
      'lambda:UpdateAlias',
      'codedeploy:CreateDeployment',
      'codedeploy:StopDeployment',
      'ecs:UpdateService',
      'apprunner:StartDeployment',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:GetMetricData',
      'xray:GetTraceSummaries',
      'xray:BatchGetTraces',
      'eks:DescribeCluster',
    ]) {
      expect(actions).toContain(required);
    }
    const unscoped = statements.filter((st) => JSON.stringify(st.Resource) === '"*"').map((st) => st.Sid);
    expect(unscoped.sort()).toEqual(['EcsTaskDefinitionsRead', 'MetricsAndTracesRead']);
  });
});

function synthesizeRoleOnly(repository: string): string {
  const app = new App({ context: { 'securecart:repository': repository } });
  const config = environmentConfig(app.node, 'production');
  const stack = new DeployAccessStack(app, 'RoleOnly', {
    env: { account: config.account, region: config.region },
    config,
    repository: repositoryFromContext(app.node),
    createOidcProvider: true,
    workloads: {
      lambdaFunctions: ['payments'],
      ecsServices: [],
      codeDeployEcsServices: [],
      scheduledTasks: [],
      stateMachines: [],
      appRunnerServices: [],
    },
  });
  return JSON.stringify(Template.fromStack(stack).toJSON());
}
