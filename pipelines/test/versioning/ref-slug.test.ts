import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { branchName, isReleaseRef, refSlug } from '../../src/versioning/ref-slug';

describe('refs', () => {
  it('a build of the release branch is a release, by ref or by name', () => {
    expect(isReleaseRef('refs/heads/main', 'main')).toBe(true);
    expect(isReleaseRef('main', 'refs/heads/main')).toBe(true);
    expect(isReleaseRef('refs/heads/main-next', 'main')).toBe(false);
    expect(isReleaseRef('refs/pull/12/merge', 'main')).toBe(false);
    expect(branchName('refs/heads/feature/x')).toBe('feature/x');
  });

  it.each([
    ['refs/pull/12/merge', 'pr.12'],
    ['refs/pull/7/head', 'pr.7'],
    ['refs/heads/feature/Faster_Search', 'feature-faster-search'],
    ['refs/heads/--odd--', 'odd'],
    ['refs/heads/0123', 'branch-0123'],
    ['refs/heads/___', 'branch'],
    ['refs/heads/dependabot/npm_and_yarn/esbuild-0.28.2', 'dependabot-npm-and-yarn-esbuild-0-28-2'],
  ])('%s → %s', (ref, slug) => {
    expect(refSlug(ref)).toBe(slug);
  });

  it('makes pre-releases that are semver and image tags, at most 40 characters of branch', () => {
    const slug = refSlug(`refs/heads/${'very-long-branch-name/'.repeat(10)}`);
    expect(slug.length).toBeLessThanOrEqual(40);
    const version = `12.34.56-${slug}.999`;
    expect(semver.valid(version)).toBe(version);
    expect(version).toMatch(/^[\w][\w.-]{0,127}$/);
  });
});
