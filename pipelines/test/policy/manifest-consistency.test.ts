import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/policy/load-policy';
import { findTarget, parseReleaseManifest } from '../../src/targets/manifest';

const POLICIES = fileURLToPath(new URL('../../policies/', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../../infra/aws/release-manifest.json', import.meta.url));

// The policies name workloads and alarms; the infra defines them. This keeps the two from drifting.
describe('policies agree with the release manifest generated from infra/aws', () => {
  const manifest = parseReleaseManifest(JSON.parse(readFileSync(MANIFEST, 'utf8')));
  const files = readdirSync(POLICIES).filter((file) => file.endsWith('.yml'));

  it.each(files)('%s: same platform, and every gating alarm exists for its environment', async (file) => {
    const policy = await loadPolicyFile(`${POLICIES}${file}`);
    for (const [environment, env] of Object.entries(policy.environments)) {
      const target = findTarget(manifest, policy.workload, environment);
      expect(target.platform).toBe(policy.platform);
      const unknown = (env.gates?.alarms ?? []).filter((alarm) => !target.alarms.includes(alarm));
      expect(unknown, `${file} ${environment}: alarms missing from the manifest`).toEqual([]);
    }
  });
});
