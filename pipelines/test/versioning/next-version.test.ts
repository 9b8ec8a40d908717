import { describe, expect, it } from 'vitest';
import { nextVersion } from '../../src/versioning/next-version';

describe('nextVersion', () => {
  it('starts at 0.1.0 whatever the first commits say', () => {
    expect(nextVersion({ latest: undefined, messages: ['feat!: everything'] })).toEqual({
      version: '0.1.0',
      previous: undefined,
      bump: undefined,
      commits: 1,
    });
  });

  it('bumps a release by its largest commit', () => {
    expect(nextVersion({ latest: '1.4.2', messages: ['fix: a'] }).version).toBe('1.4.3');
    expect(nextVersion({ latest: '1.4.2', messages: ['fix: a', 'feat: b'] }).version).toBe('1.5.0');
    expect(nextVersion({ latest: '1.4.2', messages: ['feat: b', 'fix!: c'] })).toEqual({
      version: '2.0.0',
      previous: '1.4.2',
      bump: 'major',
      commits: 2,
    });
  });

  it('keeps 0.x below 1.0.0: a breaking change bumps the minor part', () => {
    expect(nextVersion({ latest: '0.3.1', messages: ['feat!: new API'] })).toMatchObject({
      version: '0.4.0',
      bump: 'minor',
    });
    expect(nextVersion({ latest: '0.3.1', messages: ['feat: x'] }).version).toBe('0.4.0');
    expect(nextVersion({ latest: '0.3.1', messages: ['fix: x'] }).version).toBe('0.3.2');
  });

  it('is the release itself when nothing touched the workload since, on any branch', () => {
    const same = { version: '1.4.2', previous: '1.4.2', bump: undefined, commits: 0 };
    expect(nextVersion({ latest: '1.4.2', messages: [] })).toEqual(same);
    expect(nextVersion({ latest: '1.4.2', messages: [] }, { slug: 'pr.12' })).toEqual(same);
  });

  it('marks a build off the release branch as a pre-release of the version it leads to', () => {
    expect(
      nextVersion({ latest: '1.3.9', messages: ['feat: a', 'fix: b', 'docs: c'] }, { slug: 'pr.12' }),
    ).toEqual({ version: '1.4.0-pr.12.3', previous: '1.3.9', bump: 'minor', commits: 3 });
    expect(nextVersion({ latest: undefined, messages: ['feat: a'] }, { slug: 'feature-x' }).version).toBe(
      '0.1.0-feature-x.1',
    );
  });
});
