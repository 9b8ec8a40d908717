import * as fs from 'node:fs';
import { findTarget, parseReleaseManifest, type ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateReleaseManifest,
  RELEASE_MANIFEST_PATH,
  renderReleaseManifest,
} from '../src/manifest/render';

let generated: ReleaseManifest;

beforeAll(() => {
  generated = generateReleaseManifest();
}, 120_000);

describe('release manifest', () => {
  it('the checked-in infra/aws/release-manifest.json matches the app (run scripts/release-manifest.ts)', () => {
    // Compared as data (key order included): the file itself is kept in biome's JSON format.
    const checkedIn = fs.readFileSync(RELEASE_MANIFEST_PATH, 'utf8');
    expect(JSON.stringify(JSON.parse(checkedIn), null, 2)).toBe(renderReleaseManifest(generated).trimEnd());
  });

  it('validates against the schema pipelines/ imports', () => {
    const parsed = parseReleaseManifest(JSON.parse(fs.readFileSync(RELEASE_MANIFEST_PATH, 'utf8')));
    expect(Object.keys(parsed.environments)).toEqual(['production', 'staging']);
  });

  it('lists every SecureCart workload in both environments with its platform kind', () => {
    const kinds = Object.fromEntries(
      Object.entries(generated.workloads).map(([name, w]) => [name, w.platform]),
    );
    expect(kinds).toEqual({
      auth: 'ecs',
      checkout: 'ecs',
      'fraud-detection': 'lambda',
      fulfillment: 'stepfunctions',
      'inventory-sync': 'lambda',
      'order-batch': 'ecs-ec2',
      'order-processing': 'lambda',
      payments: 'lambda',
      'product-search': 'apprunner',
      recommendations: 'eks',
    });
    for (const entry of Object.values(generated.workloads)) {
      expect(Object.keys(entry.environments).sort()).toEqual(['production', 'staging']);
    }
  });

  it('carries the identifiers each platform adapter needs, as literal names', () => {
    expect(findTarget(generated, 'payments', 'production')).toMatchObject({
      functionName: 'securecart-production-payments',
      alias: 'live',
      codeDeploy: {
        application: 'securecart-production-payments',
        deploymentGroup: 'securecart-production-payments',
        deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
      },
      alarms: [
        'securecart-production-payments-errors',
        'securecart-production-payments-p99-latency',
        'securecart-production-payments-throttles',
      ],
      xrayServiceName: 'securecart-production-payments',
    });
    expect(findTarget(generated, 'order-processing', 'staging').alarms).toContain(
      'securecart-staging-order-processing-5xx',
    );
    expect(findTarget(generated, 'checkout', 'staging')).toMatchObject({
      strategy: 'codedeploy-blue-green',
      clusterName: 'securecart-staging-ecs',
      serviceName: 'securecart-staging-checkout',
      targetGroups: { blue: 'sc-stg-checkout-blue', green: 'sc-stg-checkout-green' },
      productionListenerPort: 80,
      testListenerPort: 8443,
      codeDeploy: { deploymentGroup: 'securecart-staging-checkout' },
    });
    expect(findTarget(generated, 'auth', 'staging')).toMatchObject({
      strategy: 'ecs-canary',
      canary: { stepPercent: 10 },
    });
    expect(findTarget(generated, 'recommendations', 'production')).toMatchObject({
      clusterName: 'securecart-production-eks',
      namespace: 'recommendations',
      objects: expect.arrayContaining([
        { apiVersion: 'v1', kind: 'Namespace', name: 'recommendations' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'recommendations-stable' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'recommendations-canary' },
      ]),
    });
    expect(findTarget(generated, 'product-search', 'staging')).toMatchObject({
      serviceName: 'securecart-staging-product-search',
      imageRepository: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/securecart/staging/product-search',
    });
    expect(findTarget(generated, 'checkout', 'production')).toMatchObject({ productionListenerPort: 443 });
    expect(generated.environments.staging?.oidcSubjects).toEqual([
      'repo:securecart/securecart:environment:staging',
    ]);
    expect(findTarget(generated, 'fulfillment', 'staging')).toMatchObject({
      stateMachineName: 'securecart-staging-fulfillment',
      alias: 'live',
    });
    const { alarmRules, ...orderBatch } = findTarget(generated, 'order-batch', 'staging');
    expect(alarmRules?.map((r) => r.AlarmName)).toEqual(orderBatch.alarms);
    expect(orderBatch).toEqual({
      platform: 'ecs-ec2',
      environment: 'staging',
      account: '111111111111',
      region: 'eu-west-1',
      stack: 'SecureCart-Staging-Containers',
      alarms: [
        'securecart-staging-order-batch-errors',
        'securecart-staging-order-batch-running-tasks',
        'securecart-staging-order-batch-run-duration',
      ],
      xrayServiceName: 'order-batch',
      logGroup: '/ecs/securecart-staging-order-batch',
      strategy: 'rolling',
      clusterName: 'securecart-staging-ecs',
      serviceName: 'securecart-staging-order-batch',
      taskFamily: 'securecart-staging-order-batch',
      containerName: 'order-batch',
      imageRepository: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/securecart/staging/order-batch',
      capacityProvider: 'securecart-staging-order-batch-cp',
      autoScalingGroupName: 'securecart-staging-order-batch-capacity',
      rolling: { minHealthyPercent: 100, maxPercent: 200 },
    });
    const json = JSON.stringify(generated);
    expect(json).not.toMatch(/\$\{Token\[|Fn::/);
    // The only Ref is the alarm rules' reference to a deploy-time attribute of a resource with a literal name.
    expect(json.match(/"Ref":/g)?.length).toBe(
      json.match(/"Ref":"[a-z0-9-]+","Attribute":"[A-Za-z]+"/g)?.length,
    );
  });

  it('records the rule of every gating alarm, one per alarm name in the same order', () => {
    for (const [workload, entry] of Object.entries(generated.workloads)) {
      for (const target of Object.values(entry.environments)) {
        expect(
          target.alarmRules?.map((r) => r.AlarmName),
          `${workload}/${target.environment}`,
        ).toEqual(target.alarms);
      }
    }
  });

  it('rejects a manifest that breaks the contract, saying where', () => {
    const broken = structuredClone(generated) as unknown as {
      workloads: Record<string, { environments: Record<string, Record<string, unknown>> }>;
    };
    const target = broken.workloads.payments?.environments.staging;
    if (!target) throw new Error('fixture missing');
    target.platform = 'ecs';
    expect(() => parseReleaseManifest(broken)).toThrow(/workloads\.payments\.environments\.staging/);
    expect(() => findTarget(generated, 'nope', 'staging')).toThrow(
      /workload "nope" is not in the release manifest/,
    );
  });
});
