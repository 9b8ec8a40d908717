import { describe, expect, it } from 'vitest';
import { latestTaggedVersion, releaseTag, taggedVersion } from '../../src/versioning/release-tag';

describe('release tags', () => {
  it('are <workload>@x.y.z', () => {
    expect(releaseTag('payments', '1.2.3')).toBe('payments@1.2.3');
    expect(taggedVersion('payments@1.2.3', 'payments')).toBe('1.2.3');
  });

  it('ignore other workloads, non-semver and pre-release tags', () => {
    expect(taggedVersion('order-batch@1.0.0', 'order')).toBeUndefined();
    expect(taggedVersion('payments@v1.2.3', 'payments')).toBeUndefined();
    expect(taggedVersion('payments@1.2', 'payments')).toBeUndefined();
    expect(taggedVersion('payments@01.2.3', 'payments')).toBeUndefined();
    expect(taggedVersion('payments@1.2.3-pr.4.1', 'payments')).toBeUndefined();
    expect(taggedVersion('payments@1.2.3+build.5', 'payments')).toBeUndefined();
    expect(taggedVersion('v1.2.3', 'payments')).toBeUndefined();
  });

  it('sort by semver precedence, not as strings', () => {
    const tags = ['payments@1.9.0', 'payments@1.10.0', 'payments@1.2.0', 'checkout@9.0.0', 'payments@x'];
    expect(latestTaggedVersion(tags, 'payments')).toBe('1.10.0');
    expect(latestTaggedVersion(['checkout@1.0.0'], 'payments')).toBeUndefined();
  });
});
