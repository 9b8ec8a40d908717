import { describe, expect, it } from 'vitest';
import { commitBump, largestBump } from '../../src/versioning/conventional-commit';

describe('commitBump', () => {
  it.each([
    ['feat: accept wallets', 'minor'],
    ['feat(payments): accept wallets', 'minor'],
    ['FEAT: shouting is still a feature', 'minor'],
    ['fix: round half to even', 'patch'],
    ['perf(search): cache the index', 'patch'],
    ['chore: bump esbuild', 'patch'],
    ['Update README', 'patch'],
    ['feature: not a conventional type', 'patch'],
    ['feat:missing space is not a header', 'patch'],
    ['feat!: drop the v1 API', 'major'],
    ['fix(api)!: refuse unsigned requests', 'major'],
    ['fix: stricter parsing\n\nBREAKING CHANGE: amounts must be integers', 'major'],
    ['feat: new field\n\nBREAKING-CHANGE: the old one is gone', 'major'],
  ])('%j → %s', (message, bump) => {
    expect(commitBump(message)).toBe(bump);
  });

  it('reads the footer only at the start of a line, in upper case', () => {
    expect(commitBump('fix: note\n\nthis is not a BREAKING CHANGE: footer')).toBe('patch');
    expect(commitBump('fix: note\n\nbreaking change: lower case is not the footer')).toBe('patch');
  });
});

describe('largestBump', () => {
  it('is the largest of the commits, undefined for none', () => {
    expect(largestBump([])).toBeUndefined();
    expect(largestBump(['fix: a', 'chore: b'])).toBe('patch');
    expect(largestBump(['fix: a', 'feat: b', 'fix: c'])).toBe('minor');
    expect(largestBump(['feat: a', 'refactor!: b', 'fix: c'])).toBe('major');
  });
});
