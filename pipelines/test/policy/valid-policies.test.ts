import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planSteps } from '../../src/plan/plan';
import { policyJsonSchema } from '../../src/policy/json-schema';
import { loadPolicyFile, parsePolicy } from '../../src/policy/load-policy';
import { PolicyError } from '../../src/policy/policy-error';

const POLICIES = fileURLToPath(new URL('../../policies/', import.meta.url));

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

  it.each(files)('%s loads and every environment plans to 100%%', async (file) => {
    const policy = await loadPolicyFile(`${POLICIES}${file}`);
    expect(`${policy.workload}.yml`).toBe(file);
    for (const env of Object.values(policy.environments))
      expect(planSteps(env.strategy).at(-1)?.weight).toBe(100);
    expect(policy.environments.production?.gates).toBeDefined();
  });

  it('the committed JSON Schema is what the zod schema generates (run `npm run schema`)', () => {
    expect(readFileSync(`${POLICIES}policy.schema.json`, 'utf8')).toBe(policyJsonSchema());
  });
});

describe('parsing', () => {
  it('turns durations and percentages into milliseconds and fractions, and fills defaults', () => {
    const policy = parsePolicy(
      `workload: payments
platform: lambda
environments:
  production:
    strategy: { steps: [{ weight: 5, bake: 1h30m }] }
    gates:
      latency: { p99Increase: 12.5% }
      maxBake: 2h
`,
      'payments.yml',
    );
    const gates = policy.environments.production?.gates;
    expect(gates).toEqual({
      alarms: [],
      alarmInsufficientData: 'report',
      latency: { p99Increase: 0.125 },
      minSamples: 100,
      pollInterval: 30_000,
      maxBake: 2 * 3_600_000,
      onInconclusive: 'rollback',
      maxConsecutiveErrors: 3,
    });
    expect(planSteps(policy.environments.production?.strategy ?? '')).toEqual([
      { weight: 5, bakeMs: 5_400_000 },
      { weight: 100, bakeMs: 0 },
    ]);
  });

  it('a missing file is a PolicyError naming the file', async () => {
    await expect(loadPolicyFile('/nowhere/checkout.yml')).rejects.toThrow(
      new PolicyError([
        { file: '/nowhere/checkout.yml', line: 1, column: 1, field: '', message: 'file not found' },
      ]),
    );
  });
});
