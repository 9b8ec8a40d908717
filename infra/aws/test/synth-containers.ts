import * as fs from 'node:fs';
import { pauseHook } from '@tollgate/pipelines/platforms/ecs/native-schedule';
import { releaseMethods } from '@tollgate/pipelines/targets/capabilities';
import { findTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RELEASE_MANIFEST_PATH } from '../src/manifest/render';
import { accountOf, ENVS, type Synthesized } from './synth-helper';

/**
 * The PAUSE hook Tollgate's ECS-native adapter sets on every auth release, in CloudFormation's spelling:
 * the infra must declare the same one, or a `cdk deploy` between releases would take it off the service.
 */
function tollgatePauseHook(env: string) {
  const manifest = parseReleaseManifest(JSON.parse(fs.readFileSync(RELEASE_MANIFEST_PATH, 'utf8')));
  const [method] = releaseMethods(findTarget(manifest, 'auth', env));
  const hook = pauseHook((method?.holdMs ?? 0) / 60_000);
  return {
    TargetType: hook.targetType,
    LifecycleStages: hook.lifecycleStages,
    TimeoutConfiguration: {
      TimeoutInMinutes: hook.timeoutConfiguration?.timeoutInMinutes,
      Action: hook.timeoutConfiguration?.action,
    },
  };
}

export function describeContainers(synthesized: () => Synthesized): void {
  const template = (env: (typeof ENVS)[number]) => synthesized().template(env, 'Containers');
  const logicalIdOf = (...args: Parameters<Synthesized['logicalIdOf']>) => synthesized().logicalIdOf(...args);

  describe.each(ENVS)('%s: Fargate services', (env) => {
    it('checkout: CodeDeploy blue/green with two target groups, production and test listeners', () => {
      const t = template(env);
      const short = env === 'staging' ? 'stg' : 'prd';
      const blue = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: `sc-${short}-checkout-blue`,
      });
      const green = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: `sc-${short}-checkout-green`,
      });
      const prod = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::Listener', {
        Port: env === 'production' ? 443 : 80,
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
      const t = template(env);
      const short = env === 'staging' ? 'stg' : 'prd';
      const green = logicalIdOf(env, 'Containers', 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: `sc-${short}-auth-green`,
      });
      t.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: `securecart-${env}-auth`,
        DeploymentController: { Type: 'ECS' },
        DeploymentConfiguration: Match.objectLike({
          Strategy: 'CANARY',
          CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 0 },
          BakeTimeInMinutes: 5,
          LifecycleHooks: [tollgatePauseHook(env)],
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
        const t = template(env);
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
          t.hasResourceProperties('AWS::CloudWatch::Alarm', {
            AlarmName: `securecart-${env}-${w}-${signal}`,
          });
        }
      },
    );

    it('order-batch: ECS service on the EC2 capacity provider, rolling with circuit breaker and alarm rollback', () => {
      const t = template(env);
      const name = `securecart-${env}-order-batch`;
      const alarms = ['errors', 'running-tasks', 'run-duration'].map((signal) => `${name}-${signal}`);
      const capacityProvider = logicalIdOf(env, 'Containers', 'AWS::ECS::CapacityProvider', {
        Name: `${name}-cp`,
        AutoScalingGroupProvider: Match.objectLike({
          ManagedScaling: Match.objectLike({ Status: 'ENABLED' }),
          ManagedTerminationProtection: 'ENABLED',
        }),
      });
      const service = logicalIdOf(env, 'Containers', 'AWS::ECS::Service', { ServiceName: name });
      t.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: name,
        DesiredCount: 1,
        DeploymentController: { Type: 'ECS' },
        DeploymentConfiguration: {
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          Alarms: { Enable: true, Rollback: true, AlarmNames: alarms },
        },
        CapacityProviderStrategy: [{ CapacityProvider: { Ref: capacityProvider }, Weight: 1 }],
        LaunchType: Match.absent(),
      });
      // The alarms exist before the service that names them.
      const dependsOn = synthesized().resources(env, 'Containers', 'AWS::ECS::Service')[service]?.DependsOn;
      for (const signal of ['Errors', 'RunningTasks', 'RunDuration']) {
        expect(JSON.stringify(dependsOn)).toMatch(new RegExp(`OrderBatch${signal}Alarm`));
      }
      t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        AutoScalingGroupName: `${name}-capacity`,
        NotificationConfigurations: Match.anyValue(),
      });
      t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
        }),
      });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: name,
        RequiresCompatibilities: ['EC2'],
        TaskRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrderBatchTaskRole'), 'Arn'] },
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'order-batch',
            Environment: Match.arrayWith([
              { Name: 'RECONCILE_AT', Value: '02:00' },
              { Name: 'EXPORT_BUCKET', Value: `securecart-${env}-order-exports-${accountOf(env)}` },
              { Name: 'AWS_REGION', Value: 'eu-west-1' },
              { Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://127.0.0.1:4318' },
            ]),
            HealthCheck: Match.objectLike({ Command: ['CMD-SHELL', Match.stringLikeRegexp('/health')] }),
            StopTimeout: 120,
          }),
          Match.objectLike({ Name: 'otel-collector', Image: Match.stringLikeRegexp('aws-otel-collector') }),
        ],
      });
      t.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/ecs/${name}`,
        RetentionInDays: env === 'production' ? 365 : 30,
      });
      // Least privilege: the worker's task role writes X-Ray traces (its sidecar) and uses its exports bucket.
      const taskActions = synthesized()
        .statementsOfRole(env, 'Containers', 'OrderBatchTaskRole')
        .flatMap((st) => st.Action);
      expect(taskActions.sort()).toEqual([
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${name}-running-tasks`,
        Metrics: Match.arrayWith([
          Match.objectLike({ Id: 'expr_1', Expression: 'desired - running' }),
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({
                MetricName: 'RunningTaskCount',
                Namespace: 'ECS/ContainerInsights',
              }),
            }),
          }),
        ]),
      });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${name}-run-duration`,
        Threshold: 30 * 60_000,
        Metrics: [Match.objectLike({ Expression: Match.stringLikeRegexp('MAX\\(RunDuration\\)') })],
      });
      expect(Object.keys(t.findResources('AWS::Events::Rule'))).toHaveLength(0);
    });

    it('order-batch exports bucket: encrypted, private, TLS only, versioned, lifecycle, access-logged', () => {
      const t = template(env);
      const name = `securecart-${env}-order-exports-${accountOf(env)}`;
      const logs = logicalIdOf(env, 'Containers', 'AWS::S3::Bucket', { BucketName: `${name}-logs` });
      const secure = {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      };
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        ...secure,
        LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'order-exports/' },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              Status: 'Enabled',
              ExpirationInDays: env === 'production' ? 730 : 30,
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            }),
          ],
        },
      });
      t.hasResourceProperties('AWS::S3::Bucket', { BucketName: `${name}-logs`, ...secure });
      const exportsBucket = logicalIdOf(env, 'Containers', 'AWS::S3::Bucket', { BucketName: name });
      for (const id of [exportsBucket, logs]) {
        t.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Action: 's3:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                Effect: 'Deny',
              }),
            ]),
          },
        });
      }
      // The worker's S3 statements, exactly: read the two export prefixes, write reports, list the bucket.
      const arn = (suffix: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${suffix}`]],
      });
      const s3Statements = synthesized()
        .statementsOfRole(env, 'Containers', 'OrderBatchTaskRole')
        .filter((st) => JSON.stringify(st.Action).includes('s3:'));
      expect(s3Statements).toEqual([
        {
          Sid: 'ReadDailyExports',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [arn(`${name}/orders/*`), arn(`${name}/payments/*`)],
        },
        { Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: arn(`${name}/reports/*`) },
        { Sid: 'MissingExportIsNoSuchKey', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn(name) },
      ]);
      // No other role in the stack touches the exports bucket's objects.
      const users = Object.values(synthesized().resources(env, 'Containers', 'AWS::IAM::Policy')).filter(
        (p) => JSON.stringify(p.Properties?.PolicyDocument).includes(name),
      );
      expect(users.map((p) => JSON.stringify(p.Properties?.Roles))).toEqual([
        expect.stringContaining('OrderBatchTaskRole'),
      ]);
    });

    it('auth: signing key and users from Secrets Manager (KMS); the execution role reads only those', () => {
      const t = template(env);
      const key = logicalIdOf(env, 'Containers', 'AWS::KMS::Key', {
        Description: Match.stringLikeRegexp('auth secrets'),
        EnableKeyRotation: true,
      });
      const signingKey = logicalIdOf(env, 'Containers', 'AWS::SecretsManager::Secret', {
        Name: `securecart/${env}/auth/signing-key`,
        KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
        GenerateSecretString: {
          PasswordLength: 64,
          ExcludePunctuation: true,
          IncludeSpace: false,
          RequireEachIncludedType: true,
        },
      });
      const users = logicalIdOf(env, 'Containers', 'AWS::SecretsManager::Secret', {
        Name: `securecart/${env}/auth/users`,
        KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: `securecart-${env}-auth`,
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'auth',
            Secrets: [
              { Name: 'AUTH_SIGNING_KEY', ValueFrom: { Ref: signingKey } },
              { Name: 'AUTH_USERS_JSON', ValueFrom: { Ref: users } },
            ],
          }),
        ]),
      });
      const execStatements = synthesized().statementsOfRole(env, 'Containers', 'AuthExecutionRole');
      const secretReads = execStatements.filter((st) =>
        JSON.stringify(st.Action).includes('secretsmanager:'),
      );
      expect(secretReads.map((st) => st.Resource)).toEqual([{ Ref: signingKey }, { Ref: users }]);
      // No other role in the stack may read them.
      const readers = Object.values(synthesized().resources(env, 'Containers', 'AWS::IAM::Policy')).filter(
        (p) => JSON.stringify(p.Properties?.PolicyDocument).includes('secretsmanager:GetSecretValue'),
      );
      expect(readers.map((p) => JSON.stringify(p.Properties?.Roles))).toEqual([
        expect.stringContaining('AuthExecutionRole'),
      ]);
      // The key decrypts for the execution role only through Secrets Manager.
      t.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Action: 'kms:Decrypt',
              Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuthExecutionRole'), 'Arn'] } },
              Resource: '*',
            },
          ]),
        },
      });
    });
  });
}
