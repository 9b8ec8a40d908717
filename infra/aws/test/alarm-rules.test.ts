import type { AlarmRule, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordAlarmRule } from '../src/manifest/alarm-rule';
import { DeployTimeValues } from '../src/manifest/deploy-time-values';
import { ReleaseManifestRegistry } from '../src/manifest/registry';
import { type Env, type Synthesized, synthesizeApp } from './synth-helper';

let s: Synthesized;
let manifest: ReleaseManifest;

beforeAll(() => {
  // Lambda bundling skipped: alarms do not depend on the functions' code.
  s = synthesizeApp({ 'aws:cdk:bundling-stacks': [] });
  manifest = s.sc.manifest();
}, 120_000);

const rules = (): AlarmRule[] =>
  Object.values(manifest.workloads).flatMap((w) =>
    Object.values(w.environments).flatMap((t) => t.alarmRules ?? []),
  );

function ruleNamed(name: string): AlarmRule {
  const rule = rules().find((r) => r.AlarmName === name);
  if (!rule) throw new Error(`no recorded rule for ${name}`);
  return rule;
}

/**
 * The alarm's properties as the synthesized template has them (CloudFormation's own rendering), without
 * what is not part of its rule (description, tags).
 */
function templateAlarm(env: Env, part: string, name: string): Record<string, unknown> {
  const found = Object.values(s.resources(env, part, 'AWS::CloudWatch::Alarm')).filter(
    (r) => r.Properties?.AlarmName === name,
  );
  expect(found, name).toHaveLength(1);
  const { AlarmDescription: _, Tags: __, ...rule } = found[0]?.Properties ?? {};
  return rule;
}

describe('recorded alarm rules', () => {
  it('(a) a Lambda p99 Duration alarm: the template rule, with the function referenced by its literal name', () => {
    const name = 'securecart-staging-payments-p99-latency';
    const fn = s.logicalIdOf('staging', 'Serverless', 'AWS::Lambda::Function', {
      FunctionName: 'securecart-staging-payments',
    });
    const { Dimensions, ...rest } = templateAlarm('staging', 'Serverless', name);
    expect(Dimensions).toEqual([
      { Name: 'FunctionName', Value: { Ref: fn } },
      { Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: fn }, ':live']] } },
    ]);
    expect(ruleNamed(name)).toEqual({
      ...rest,
      Dimensions: [
        { Name: 'FunctionName', Value: 'securecart-staging-payments' },
        { Name: 'Resource', Value: 'securecart-staging-payments:live' },
      ],
    });
    expect(ruleNamed(name)).toEqual({
      AlarmName: name,
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Dimensions: [
        { Name: 'FunctionName', Value: 'securecart-staging-payments' },
        { Name: 'Resource', Value: 'securecart-staging-payments:live' },
      ],
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 3000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it('(b) an ALB alarm: LoadBalancerFullName recorded as a reference to the ALB by its name', () => {
    const name = 'securecart-production-checkout-errors';
    const alb = s.logicalIdOf('production', 'Containers', 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Name: 'sc-prd-checkout',
    });
    const { Dimensions, ...rest } = templateAlarm('production', 'Containers', name);
    expect(Dimensions).toEqual([
      { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [alb, 'LoadBalancerFullName'] } },
    ]);
    expect(ruleNamed(name)).toEqual({
      ...rest,
      Dimensions: [
        { Name: 'LoadBalancer', Value: { Ref: 'sc-prd-checkout', Attribute: 'LoadBalancerFullName' } },
      ],
    });
    expect(rest).toMatchObject({ MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Threshold: 5 });
  });

  it('(c) the EKS error-rate metric math (IF/FILL) is the template rule exactly', () => {
    const name = 'securecart-staging-recommendations-errors';
    const rule = ruleNamed(name);
    expect(rule).toEqual(templateAlarm('staging', 'Kubernetes', name));
    const returned = rule.Metrics?.find((m) => m.ReturnData !== false);
    expect(returned?.Expression).toBe(
      'IF(requests >= 20, (FILL(faults, 0) + FILL(clientErrors, 0)) / requests, 0)',
    );
    expect(rule.Metrics?.map((m) => [m.Id, m.MetricStat?.Metric.MetricName, m.MetricStat?.Stat])).toEqual([
      ['expr_1', undefined, undefined],
      ['requests', 'Requests', 'Sum'],
      ['faults', 'Faults', 'Sum'],
      ['clientErrors', 'ClientErrors', 'Sum'],
    ]);
  });

  it('every recorded rule is its template alarm outside the dimension values', () => {
    const withoutValues = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value), (key, v) => (key === 'Value' ? '<value>' : v));
    const stackParts = ['Serverless', 'Containers', 'Kubernetes', 'AppRunner'];
    let compared = 0;
    for (const [workload, entry] of Object.entries(manifest.workloads)) {
      for (const [env, target] of Object.entries(entry.environments)) {
        const part = stackParts.find((p) => target.stack.endsWith(`-${p}`));
        for (const rule of target.alarmRules ?? []) {
          const inTemplate = templateAlarm(env as Env, part ?? target.stack, rule.AlarmName);
          expect(withoutValues(rule), `${workload}/${env}`).toEqual(withoutValues(inTemplate));
          compared += 1;
        }
      }
    }
    expect(compared).toBe(62);
  });
});

describe('recording a rule the manifest cannot hold', () => {
  const stackWith = () =>
    new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });

  it('fails on a dimension CloudFormation only knows of a resource without a literal name', () => {
    const stack = stackWith();
    const queue = new sqs.Queue(stack, 'Queue');
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
      alarmName: 'queue-depth',
      metric: queue.metricApproximateNumberOfMessagesVisible(),
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    expect(() => recordAlarmRule(alarm, new DeployTimeValues())).toThrow(
      'alarm queue-depth: dimension QueueName is {"Fn::GetAtt":["Queue4A7E3555","QueueName"]}, a CloudFormation ' +
        'value the release manifest cannot record',
    );
  });

  it('fails on a Lambda function without a literal name, saying which resource', () => {
    const stack = stackWith();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    });
    const alarm = fn.metricErrors().createAlarm(stack, 'Alarm', {
      alarmName: 'fn-errors',
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    expect(() => recordAlarmRule(alarm, new DeployTimeValues())).toThrow(
      'S/Fn/Resource (AWS::Lambda::Function) has no literal functionName',
    );
  });

  it('fails on a rule it would misstate (anomaly-detection settings) and on a non-gating alarm', () => {
    const stack = stackWith();
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
      alarmName: 'low-sample',
      metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Latency', statistic: 'p99' }),
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      evaluateLowSampleCountPercentile: 'ignore',
    });
    expect(() => recordAlarmRule(alarm, new DeployTimeValues())).toThrow(
      'alarm low-sample sets evaluateLowSampleCountPercentile, which the release manifest does not record',
    );
    const registry = ReleaseManifestRegistry.of(stack);
    registry.registerEnvironment(
      'staging',
      {
        account: '111111111111',
        region: 'eu-west-1',
        deployRoleName: 'deploy',
        deployRoleArn: 'arn:aws:iam::111111111111:role/deploy',
        oidcSubjects: ['repo:o/r:environment:staging'],
      },
      'o/r',
    );
    registry.registerTarget('shop', {
      platform: 'stepfunctions',
      environment: 'staging',
      account: '111111111111',
      region: 'eu-west-1',
      stack: 'S',
      alarms: ['low-sample'],
      xrayServiceName: 'shop',
      logGroup: '/shop',
      stateMachineName: 'shop',
      alias: 'live',
    });
    expect(() => registry.build()).toThrow(
      'release target shop/staging lists alarm low-sample, which was not created with gatingAlarm(); its rule is unknown',
    );
  });
});
