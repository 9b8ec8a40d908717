import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/clock';
import { ScaledClock } from '../../src/time/scaled-clock';

describe('ScaledClock', () => {
  it('runs scale times faster than the wall clock from the shared origin, and sleeps scaled', async () => {
    const real = new VirtualClock(1_000_000);
    const clock = new ScaledClock({ cloudOrigin: 5_000_000, realOrigin: 1_000_000, scale: 60 }, real);
    expect(clock.now()).toBe(5_000_000);
    await clock.sleep(60_000);
    expect(real.now()).toBe(1_001_000);
    expect(clock.now()).toBe(5_060_000);
    expect(clock.toCloudTime(1_000_500)).toBe(5_030_000);
  });

  it('refuses a scale that is not a positive number', () => {
    expect(() => new ScaledClock({ cloudOrigin: 0, realOrigin: 0, scale: 0 })).toThrow(
      'a time scale must be a positive number, not 0',
    );
  });
});
