import { describe, expect, it } from 'vitest';
import { systemClock, VirtualClock } from '../../src/time/clock';

describe('systemClock.sleep', () => {
  it('wakes as soon as the signal aborts instead of sleeping the whole interval', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    await systemClock.sleep(60_000, controller.signal);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('returns at once when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(systemClock.sleep(60_000, controller.signal)).resolves.toBeUndefined();
  });
});

describe('VirtualClock', () => {
  it('fires scheduled callbacks in time order as sleeps pass them', async () => {
    const clock = new VirtualClock(0);
    const fired: [string, number][] = [];
    clock.at(5_000, () => fired.push(['b', clock.now()]));
    clock.at(1_000, () => fired.push(['a', clock.now()]));
    await clock.sleep(3_000);
    expect(fired).toEqual([['a', 1_000]]);
    await clock.sleep(3_000);
    expect(fired).toEqual([
      ['a', 1_000],
      ['b', 5_000],
    ]);
    expect(clock.now()).toBe(6_000);
  });
});
