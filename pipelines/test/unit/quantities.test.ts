import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/time/duration';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2h', 7_200_000],
    ['1m30s', 90_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['', '5', '5min', '-1m', '1.5m', 'm'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`not a duration: "${text}"`);
  });
});
