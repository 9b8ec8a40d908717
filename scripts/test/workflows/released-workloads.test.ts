import { describe, expect, it } from 'vitest';
import { loadReleasedWorkloads, releasedWorkloads } from '../../workflows/released-workloads';

describe('releasedWorkloads', () => {
  it("are SecureCart's workloads with a policy, containers being those with an image repository", async () => {
    const { released } = await loadReleasedWorkloads();
    expect(released).toEqual([
      { workload: 'auth', platform: 'ecs', container: true },
      { workload: 'checkout', platform: 'ecs', container: true },
      { workload: 'fraud-detection', platform: 'lambda', container: false },
      { workload: 'order-processing', platform: 'lambda', container: false },
      { workload: 'payments', platform: 'lambda', container: false },
      { workload: 'product-search', platform: 'apprunner', container: true },
      { workload: 'recommendations', platform: 'eks', container: true },
    ]);
  });

  it('leave out a workload without a policy and a policy without a workload', async () => {
    const { manifest } = await loadReleasedWorkloads();
    expect(releasedWorkloads(manifest, ['payments.yml', 'unknown.yml', 'policy.schema.json'])).toEqual([
      { workload: 'payments', platform: 'lambda', container: false },
    ]);
  });
});
