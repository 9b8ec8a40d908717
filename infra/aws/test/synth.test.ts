import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEmfAlarms } from './emf-alarms';
import { describeContainers } from './synth-containers';
import { describeDeployBlockers } from './synth-deploy-blockers';
import { accountOf, ENVS, prop, type Synthesized, synthesizeApp } from './synth-helper';

let s: Synthesized;

beforeAll(() => {
  s = synthesizeApp();
  console.log(`[infra] synthesized the SecureCart app (14 stacks) in ${(s.ms / 1000).toFixed(1)} s`);
}, 120_000);

const FUNCTIONS = ['order-processing', 'payments', 'fraud-detection', 'inventory-sync'] as const;

const resources = (env: (typeof ENVS)[number], part: string, type: string) => s.resources(env, part, type);
const logicalIdOf = (...args: Parameters<Synthesized['logicalIdOf']>) => s.logicalIdOf(...args);

describe('synth', () => {
  it('runs offline in seconds', () => {
    expect(s.ms).toBeLessThan(60_000);
  });

  it('needs no context lookups (which would need AWS credentials)', () => {
    expect(s.sc.app.synth().manifest.missing ?? []).toEqual([]);
  });

  it('builds no container image: services start from <repository>:bootstrap, pushed by the build job', () => {
    const assembly = s.sc.app.synth();
    const dockerImages = assembly.artifacts
      .filter((a): a is cxapi.AssetManifestArtifact => a instanceof cxapi.AssetManifestArtifact)
      .flatMap((a) =>
        Object.keys(
          (JSON.parse(readFileSync(a.file, 'utf8')) as { dockerImages?: object }).dockerImages ?? {},
        ),
      );
    expect(dockerImages).toEqual([]);
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
        AlarmConfiguration: { Enabled: true, Alarms: Match.anyValue() },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
        },
      });
      // Each gating alarm exactly once (CodeDeploy rejects a group naming an alarm twice).
      const prefix = fn.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
      const group = Object.values(resources(env, 'Serverless', 'AWS::CodeDeploy::DeploymentGroup')).find(
        (g) => g.Properties?.DeploymentGroupName === name,
      );
      const alarmIds = (
        prop(group, 'AlarmConfiguration') as { Alarms: { Name: { Ref: string } }[] }
      ).Alarms.map((a) => a.Name.Ref.replace(/[0-9A-F]{8}$/, ''));
      expect(alarmIds).toEqual([
        `${prefix}ErrorsAlarm`,
        `${prefix}LatencyAlarm`,
        `${prefix}ThrottlesAlarm`,
        ...(fn === 'order-processing' ? ['OrderApi5xxAlarm'] : []),
      ]);
      // The alias has no CodeDeploy update policy: a stack update never runs a deployment of the bootstrap.
      const alias = resources(env, 'Serverless', 'AWS::Lambda::Alias')[aliasId] as { UpdatePolicy?: unknown };
      expect(alias.UpdatePolicy).toBeUndefined();
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
  it('traced, logged at ALL, behind a live alias on its bootstrap version, with gating alarms', () => {
    const t = s.template(env, 'Serverless');
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `securecart-${env}-fulfillment`,
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    // The alias routes to the one bootstrap version; no deployment preference (releases own the routing).
    const version = logicalIdOf(env, 'Serverless', 'AWS::StepFunctions::StateMachineVersion', {});
    const aliases = resources(env, 'Serverless', 'AWS::StepFunctions::StateMachineAlias');
    expect(Object.values(aliases).map((a) => a.Properties)).toEqual([
      {
        Name: 'live',
        Description:
          'Traffic entry point used by order-processing; its versions and weights belong to releases',
        RoutingConfiguration: [{ StateMachineVersionArn: { 'Fn::GetAtt': [version, 'Arn'] }, Weight: 100 }],
      },
    ]);
    for (const signal of ['errors', 'timeouts', 'p99-latency']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `securecart-${env}-fulfillment-${signal}`,
      });
    }
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

describeContainers(() => s);
describeEmfAlarms(() => s);
describeDeployBlockers(() => s);

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
    // Auto Mode puts the internal ALB of the Ingress in the private subnets tagged for it.
    const subnets = Object.values(s.resources(env, 'Network', 'AWS::EC2::Subnet'));
    const tagged = subnets.filter((sn) =>
      JSON.stringify(sn.Properties?.Tags).includes('kubernetes.io/role/internal-elb'),
    );
    expect(tagged).toHaveLength(2);
    // The manifests were checked against the cluster at synth (EksWorkload throws on a mismatch).
    expect(s.sc.environments[env]?.kubernetes.recommendations.ingressClassName).toBe('internal-alb');
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
