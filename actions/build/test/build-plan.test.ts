import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../src/build-plan';

const manifest = await loadManifestFile(
  new URL('../../../infra/aws/release-manifest.json', import.meta.url).pathname,
);

describe('what a build pushes where', () => {
  it('a Lambda is one zip whatever the environment', () => {
    expect(buildPlan(manifest, 'payments', 'staging')).toEqual({ kind: 'zip' });
  });

  it("a container goes to every environment's repository, or to the named one's only", () => {
    expect(buildPlan(manifest, 'checkout')).toEqual({
      kind: 'image',
      repositories: Object.values(manifest.workloads.checkout?.environments ?? {}).map((target) =>
        'imageRepository' in target ? target.imageRepository : '',
      ),
    });
    const staging = manifest.workloads.checkout?.environments.staging;
    expect(buildPlan(manifest, 'checkout', 'staging')).toEqual({
      kind: 'image',
      repositories: [staging && 'imageRepository' in staging ? staging.imageRepository : ''],
    });
  });

  it('an environment the workload does not have is bad input naming the ones it has', () => {
    expect(() => buildPlan(manifest, 'checkout', 'prod')).toThrow(
      'input "environment" is "prod"; checkout has: "production", "staging"',
    );
  });
});
