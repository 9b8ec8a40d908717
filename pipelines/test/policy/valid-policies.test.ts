import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../src/policy/json-schema';
import { loadPolicyFile, parsePolicy } from '../../src/policy/load-policy';
import { PolicyError } from '../../src/policy/policy-error';
import { loadManifestFile } from '../../src/targets/load-manifest';
import { TEST_MANIFEST } from '../fixtures/manifest';

const POLICIES = fileURLToPath(new URL('../../policies/', import.meta.url));
const SECURECART_MANIFEST = fileURLToPath(
  new URL('../../../infra/aws/release-manifest.json', import.meta.url),
);

describe('the shipped policies', () => {
  const files = readdirSync(POLICIES).filter((file) => file.endsWith('.yml'));

  it('cover every SecureCart workload that Tollgate releases', () => {
    expect(files.sort()).toEqual(
      [
        'auth.yml',
        'checkout.yml',
        'fraud-detection.yml',
        'order-processing.yml',
        'payments.yml',
        'product-search.yml',
        'recommendations.yml',
      ].sort(),
    );
  });

  // Loading binds every environment to its target in SecureCart's release manifest: same platform,
  // existing gating alarms, and only what the target's release method can do.
  it.each(files)('%s agrees with its targets and every environment plans to 100%%', async (file) => {
    const loaded = await loadPolicyFile(`${POLICIES}${file}`, await loadManifestFile(SECURECART_MANIFEST));
    expect(`${loaded.policy.workload}.yml`).toBe(file);
    for (const env of Object.values(loaded.environments)) expect(env.steps.at(-1)?.weight).toBe(100);
    expect(loaded.environments.production?.gates).toBeDefined();
  });

  it('release each workload by the method its target offers, one of them through CodeDeploy', async () => {
    const manifest = await loadManifestFile(SECURECART_MANIFEST);
    const methods: Record<string, string> = {};
    for (const file of files) {
      const loaded = await loadPolicyFile(`${POLICIES}${file}`, manifest);
      methods[loaded.policy.workload] = loaded.environments.production?.capabilities.method ?? 'none';
    }
    expect(methods).toEqual({
      auth: 'ecs-native',
      checkout: 'ecs-codedeploy',
      'fraud-detection': 'lambda-codedeploy',
      'order-processing': 'lambda-alias',
      payments: 'lambda-alias',
      'product-search': 'apprunner',
      recommendations: 'eks-ingress',
    });
  });

  it('the committed JSON Schema is what the zod schema generates (run `npm run schema`)', () => {
    expect(readFileSync(`${POLICIES}policy.schema.json`, 'utf8')).toBe(policyJsonSchema());
  });
});

describe('parsing', () => {
  it('turns durations and percentages into milliseconds and fractions, and fills defaults', () => {
    const loaded = parsePolicy(
      `workload: orders
platform: lambda
environments:
  production:
    strategy: { steps: [{ weight: 5, bake: 1h30m }] }
    gates:
      latency: { p99Increase: 12.5% }
      maxBake: 2h
`,
      'orders.yml',
      TEST_MANIFEST,
    );
    const production = loaded.environments.production;
    expect(production?.gates).toEqual({
      alarms: [],
      alarmInsufficientData: 'report',
      latency: { p99Increase: 0.125 },
      minSamples: 100,
      pollInterval: 30_000,
      maxBake: 2 * 3_600_000,
      onInconclusive: 'rollback',
      maxConsecutiveErrors: 3,
    });
    expect(production?.steps).toEqual([
      { weight: 5, bakeMs: 5_400_000 },
      { weight: 100, bakeMs: 0 },
    ]);
    expect(production?.capabilities.method).toBe('lambda-alias');
    expect(loaded.policy.versionFormat).toBe('any');
  });

  it('accepts a minSamples that the longest bake can collect at the expected traffic, just', () => {
    // 20 requests/s × 10% × 10 minutes (the default maxBake, twice the bake) = 1,200 canary requests.
    const yaml = (minSamples: number) => `workload: orders
platform: lambda
environments:
  production:
    strategy: { canary: { weight: 10, bake: 5m } }
    gates:
      latency: { p50Increase: 5% }
      minSamples: ${minSamples}
      expectedRequestsPerSecond: 20
`;
    const gates = parsePolicy(yaml(1200), 'orders.yml', TEST_MANIFEST).environments.production?.gates;
    expect(gates?.expectedRequestsPerSecond).toBe(20);
    expect(() => parsePolicy(yaml(1201), 'orders.yml', TEST_MANIFEST)).toThrow(/cannot be reached/);
  });

  it('binds a CodeDeploy release when asked, and a shape that matches the group is accepted', () => {
    const yaml = `workload: orders
platform: lambda
environments:
  production:
    traffic: platform
    strategy: { canary: { weight: 10, bake: 5m } }
    gates: { alarms: [shop-production-orders-5xx] }
`;
    const production = parsePolicy(yaml, 'orders.yml', TEST_MANIFEST).environments.production;
    expect(production?.capabilities.method).toBe('lambda-codedeploy');
    expect(production?.capabilities.driver).toBe('platform');
  });

  it('a missing file is a PolicyError naming the file', async () => {
    await expect(loadPolicyFile('/nowhere/orders.yml', TEST_MANIFEST)).rejects.toThrow(
      new PolicyError([
        { file: '/nowhere/orders.yml', line: 1, column: 1, field: '', message: 'file not found' },
      ]),
    );
  });
});
