import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/clock';
import { readAlarmGate } from '../../src/gates/alarm-gate';
import { MemoryPlatform } from '../../src/platforms/memory-platform';
import { MemoryAlarms } from '../../src/signals/memory-alarms';
import { SyntheticTraces } from '../../src/signals/synthetic-traces';

const profile = { medianMs: 100, sigma: 0.5, faultRate: 0.01 };

describe('SyntheticTraces', () => {
  function setUp(seed = 1) {
    const clock = new VirtualClock(0);
    const platform = new MemoryPlatform('search', 'v1', () => clock.now());
    const traces = new SyntheticTraces({
      requestsPerSecond: 200,
      seed,
      shareAt: (version, at) => platform.shareAt(version, at),
      profiles: { v1: profile, v2: { ...profile, medianMs: 200 } },
    });
    return { clock, platform, traces };
  }

  it('splits traffic by the weights in force at each second', async () => {
    const { clock, platform, traces } = setUp();
    clock.advance(60_000);
    await platform.shift('v2', 25);
    clock.advance(60_000);
    const window = { workload: 'search', from: 60_000, to: 120_000 };
    const canary = await traces.samples({ ...window, version: 'v2' });
    const baseline = await traces.samples({ ...window, version: 'v1' });
    const share = canary.length / (canary.length + baseline.length);
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.28);
    const before = await traces.samples({ workload: 'search', version: 'v2', from: 0, to: 60_000 });
    expect(before).toEqual([]);
  });

  it('is reproducible for a seed and differs across seeds', async () => {
    const query = { workload: 'search', version: 'v1', from: 0, to: 10_000 };
    const a = await setUp(1).traces.samples(query);
    const b = await setUp(1).traces.samples(query);
    const c = await setUp(2).traces.samples(query);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws latencies around the version median', async () => {
    const { traces } = setUp();
    const samples = await traces.samples({ workload: 'search', version: 'v1', from: 0, to: 30_000 });
    const sorted = samples.map((s) => s.latencyMs).sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(90);
    expect(median).toBeLessThan(110);
  });

  it('returns no samples for a version it has no profile for', async () => {
    const { traces } = setUp();
    expect(await traces.samples({ workload: 'search', version: 'v9', from: 0, to: 10_000 })).toEqual([]);
  });
});

describe('readAlarmGate', () => {
  const window = { from: 0, to: 1 };
  const policy = { alarms: ['a', 'b', 'c'], alarmInsufficientData: 'report' as const };

  it('turns alarm states into readings', async () => {
    const alarms = new MemoryAlarms(() => 0, ['a', 'b', 'c']);
    alarms.set('b', 'ALARM', 'too many 5xx');
    alarms.set('c', 'INSUFFICIENT_DATA', 'no datapoints');
    const readings = await readAlarmGate(alarms, policy, window);
    expect(readings.map((r) => [r.metric, r.state, r.verdict])).toEqual([
      ['a', 'OK', 'pass'],
      ['b', 'ALARM', 'fail'],
      ['c', 'INSUFFICIENT_DATA', 'pass'],
    ]);
    const blocking = await readAlarmGate(alarms, { ...policy, alarmInsufficientData: 'block' }, window);
    expect(blocking[2]?.verdict).toBe('inconclusive');
  });

  it('makes a failed or incomplete read an error reading, never a pass', async () => {
    const alarms = new MemoryAlarms(() => 0, ['a', 'b']);
    expect(await readAlarmGate(alarms, policy, window)).toEqual([
      expect.objectContaining({
        verdict: 'error',
        reason: 'could not read alarms a, b, c: alarm not found: c',
      }),
    ]);
  });
});
