import { describe, expect, it } from 'vitest';
import {
  clip,
  describeStatus,
  formatElapsed,
  MAX_DESCRIPTION,
  readStatus,
} from '../../src/ledger/github-status-text';

describe('GitHub status descriptions', () => {
  it.each([
    [0, '0s'],
    [1, '0.001s'],
    [45_500, '45.5s'],
    [300_000, '5m'],
    [330_000, '5m30s'],
    [3_723_125, '1h2m3.125s'],
    [7_200_000, '2h'],
    [-2_500, '-2.5s'],
  ])('writes %i ms as %s and reads it back exactly', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
    const description = describeStatus({ outcome: 'held', fromVersion: '1.3.9', elapsedMs: ms, reason: 'r' });
    expect(readStatus('queued', description)?.elapsedMs).toBe(ms);
  });

  it('reads back what it wrote, and nothing whose state does not match the outcome', () => {
    const facts = {
      outcome: 'rolled-back',
      fromVersion: '1.3.9',
      elapsedMs: 61_000,
      reason: 'p50: +45%',
    } as const;
    const description = describeStatus(facts);
    expect(description).toBe('rolled back, from 1.3.9, after 1m1s: p50: +45%');
    expect(readStatus('failure', description)).toEqual(facts);
    expect(readStatus('success', description)).toBeUndefined();
    expect(readStatus('success', 'Deployment finished successfully.')).toBeUndefined();
    expect(readStatus('inactive', '')).toBeUndefined();
  });

  it('drops a version too long to leave room for the reason, rather than the reason', () => {
    const fromVersion = 'v'.repeat(120);
    const description = describeStatus({
      outcome: 'failed',
      fromVersion,
      elapsedMs: 0,
      reason: 'traffic: v1 at 100%',
    });
    expect(description).toBe('failed, after 0s: traffic: v1 at 100%');
    expect(readStatus('failure', description)?.fromVersion).toBe('unknown');
  });

  it('never cuts inside a character made of two UTF-16 units', () => {
    const cut = clip(`${'a'.repeat(MAX_DESCRIPTION - 2)}😀😀`, MAX_DESCRIPTION);
    expect(cut).toBe(`${'a'.repeat(MAX_DESCRIPTION - 2)}…`);
    expect(cut.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
  });
});
