import { describe, expect, it } from 'vitest';
import type { TraceSample } from '../../src/signals/ports';
import { SyntheticTraces, type SyntheticTrafficOptions } from '../../src/signals/synthetic-traces';
import { openTraceCursor } from '../../src/signals/trace-cursor';

const T0 = Date.UTC(2025, 2, 1, 12);
const S = 1_000;
const profile = { medianMs: 100, sigma: 0.5, faultRate: 0.01 };

/** 25% of traffic to v2 from 60 s on, as a platform shifting weights would route it. */
const shareAt = (version: string, at: number) => {
  const canary = at >= T0 + 60 * S ? 0.25 : 0;
  return version === 'v2' ? canary : 1 - canary;
};

function traces(options: Partial<SyntheticTrafficOptions> = {}) {
  return new SyntheticTraces({
    requestsPerSecond: 200,
    seed: 1,
    shareAt,
    profiles: { v1: { ...profile }, v2: { ...profile, medianMs: 200 } },
    ...options,
  });
}

/** A window in seconds after T0. */
const window = (version: string, from: number, to: number) => ({
  workload: 'search',
  version,
  from: T0 + from * S,
  to: T0 + to * S,
});

const median = (samples: readonly TraceSample[]) =>
  samples.map((s) => s.latencyMs).sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;

const byId = (samples: readonly TraceSample[]) => new Map(samples.map((s) => [s.traceId, s]));

const inTimeOrder = (samples: readonly TraceSample[]) =>
  [...samples].sort((a, b) => a.at - b.at || a.traceId.localeCompare(b.traceId));

describe('SyntheticTraces', () => {
  it('splits traffic by the weights in force at each second', async () => {
    const source = traces();
    const canary = await source.read(window('v2', 60, 120));
    const baseline = await source.read(window('v1', 60, 120));
    const share = canary.length / (canary.length + baseline.length);
    expect(share).toBeGreaterThan(0.23);
    expect(share).toBeLessThan(0.27);
    expect(await source.read(window('v2', 0, 60))).toEqual([]);
    // 200 a second for 60 s, all to v1: 12,000 ± 110.
    const before = await source.read(window('v1', 0, 60));
    expect(before.length).toBeGreaterThan(11_500);
    expect(before.length).toBeLessThan(12_500);
  });

  it('is reproducible for a seed, whatever the windows, and differs across seeds', async () => {
    const whole = await traces().read(window('v1', 0, 10));
    expect(await traces().read(window('v1', 0, 10))).toEqual(whole);
    const pieces = [
      ...(await traces().read(window('v1', 0, 3.5))),
      ...(await traces().read(window('v1', 3.5, 7.25))),
      ...(await traces().read(window('v1', 7.25, 10))),
    ];
    expect(pieces).toEqual(whole);
    const other = await traces({ seed: 2 }).read(window('v1', 0, 10));
    expect(other).not.toEqual(whole);
    expect(other.length).toBeGreaterThan(1_800);
  });

  it('draws latencies around the version median and faults at its rate', async () => {
    const samples = await traces().read(window('v1', 0, 30));
    expect(median(samples)).toBeGreaterThan(95);
    expect(median(samples)).toBeLessThan(105);
    expect(median(await traces().read(window('v2', 60, 120)))).toBeGreaterThan(190);
    // 1% of ~6,000: 60 ± 8.
    const faults = samples.filter((s) => s.fault).length;
    expect(faults).toBeGreaterThan(30);
    expect(faults).toBeLessThan(90);
  });

  it('changes a version from the next read on, keeping the same traces', async () => {
    const source = traces();
    const before = await source.read(window('v1', 0, 30));
    source.setProfile('v1', { ...profile, medianMs: 300 });
    const after = await source.read(window('v1', 0, 30));
    expect(after.map((s) => [s.traceId, s.at])).toEqual(before.map((s) => [s.traceId, s.at]));
    expect(median(after)).toBeCloseTo(3 * median(before), 6);
  });

  it('returns no samples for a version it has no profile for', async () => {
    expect(await traces().read(window('v9', 0, 10))).toEqual([]);
  });

  it('gives every trace a unique X-Ray id that carries its request time', async () => {
    const source = traces();
    const samples = [
      ...(await source.read(window('v1', 0, 120))),
      ...(await source.read(window('v2', 0, 120))),
    ];
    expect(samples.length).toBeGreaterThan(23_000);
    expect(new Set(samples.map((s) => s.traceId)).size).toBe(samples.length);
    for (const sample of samples) {
      expect(sample.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(Number.parseInt(sample.traceId.slice(2, 10), 16)).toBe(Math.floor(sample.at / 1_000));
    }
  });

  it('shows each trace only once its arrival delay has passed', async () => {
    let now = T0 + 60 * S;
    const late = traces({ arrival: { minDelayMs: 10 * S, maxDelayMs: 50 * S }, now: () => now });
    const everything = await traces().read(window('v1', 0, 60));
    const all = byId(everything);
    const visible = await late.read(window('v1', 0, 60));
    for (const sample of visible) expect(sample).toEqual(all.get(sample.traceId));
    const shown = new Set(visible.map((s) => s.traceId));
    const age = (s: TraceSample) => now - s.at;
    expect(everything.filter((s) => age(s) >= 50 * S).every((s) => shown.has(s.traceId))).toBe(true);
    expect(everything.filter((s) => age(s) < 10 * S).some((s) => shown.has(s.traceId))).toBe(false);
    // Between the two, delays are drawn per trace: about half of those 30 s old are visible.
    const middle = everything.filter((s) => age(s) >= 29 * S && age(s) < 31 * S);
    const middleShown = middle.filter((s) => shown.has(s.traceId)).length / middle.length;
    expect(middleShown).toBeGreaterThan(0.35);
    expect(middleShown).toBeLessThan(0.65);
    now = T0 + 110 * S;
    expect(await late.read(window('v1', 0, 60))).toEqual(everything);
  });

  it('returns a share of traces twice, and a read in seeded random order when asked', async () => {
    const reference = await traces().read(window('v1', 0, 30));
    const doubled = await traces({ arrival: { minDelayMs: 0, maxDelayMs: 0, duplicateShare: 0.2 } }).read(
      window('v1', 0, 30),
    );
    const copies = new Map<string, number>();
    for (const sample of doubled) copies.set(sample.traceId, (copies.get(sample.traceId) ?? 0) + 1);
    expect([...new Set(copies.values())].sort()).toEqual([1, 2]);
    expect([...byId(doubled).values()]).toEqual(reference);
    const twice = [...copies.values()].filter((count) => count === 2).length / reference.length;
    expect(twice).toBeGreaterThan(0.18);
    expect(twice).toBeLessThan(0.22);

    const times = reference.map((s) => s.at);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const shuffling = traces({ arrival: { minDelayMs: 0, maxDelayMs: 0, shuffle: true } });
    const shuffled = await shuffling.read(window('v1', 0, 30));
    expect(shuffled).not.toEqual(reference);
    expect(inTimeOrder(shuffled)).toEqual(inTimeOrder(reference));
    expect(await shuffling.read(window('v1', 0, 30))).toEqual(shuffled);
  });

  it('fails the reads it is told to, then reads normally', async () => {
    const source = traces();
    source.failReads(new Error('ThrottlingException'), 2);
    await expect(source.read(window('v1', 0, 10))).rejects.toThrow('ThrottlingException');
    await expect(source.read(window('v1', 0, 10))).rejects.toThrow('ThrottlingException');
    expect(await source.read(window('v1', 0, 10))).toEqual(await traces().read(window('v1', 0, 10)));
  });

  it('reports its timing, by default none', () => {
    expect(traces().timing).toEqual({ settleMs: 0, overlapMs: 0 });
    const timing = { settleMs: 20 * S, overlapMs: 40 * S };
    expect(traces({ timing }).timing).toEqual(timing);
  });
});

describe('a cursor over late, repeated, shuffled SyntheticTraces', () => {
  it('returns, once each, every trace visible by the last poll whose window covered it', async () => {
    const timing = { settleMs: 20 * S, overlapMs: 40 * S };
    const arrival = { minDelayMs: 0, maxDelayMs: 120 * S };
    const options = { requestsPerSecond: 20, shareAt: () => 1, timing };
    let now = T0;
    const source = traces({
      ...options,
      arrival: { ...arrival, duplicateShare: 0.1, shuffle: true },
      now: () => now,
    });
    const cursor = openTraceCursor(source, { workload: 'search', version: 'v1', from: T0 });
    const polls = Array.from({ length: 20 }, (_, i) => T0 + (i + 1) * 30 * S);
    const returned: TraceSample[] = [];
    let completeUntil = T0;
    for (const poll of polls) {
      now = poll;
      const batch = await cursor.next(now);
      returned.push(...batch.samples);
      completeUntil = batch.completeUntil;
    }
    expect(completeUntil).toBe(T0 + 580 * S);

    let probeNow = T0;
    const probe = traces({ ...options, arrival, now: () => probeNow });
    const visibleBy = async (sample: TraceSample, at: number) => {
      probeNow = at;
      const found = await probe.read({
        workload: 'search',
        version: 'v1',
        from: sample.at,
        to: sample.at + 1,
      });
      return found.some((s) => s.traceId === sample.traceId);
    };
    const reach = timing.settleMs + timing.overlapMs;
    // A poll's window starts `reach` before it, so the last to cover a trace is the first after at + reach.
    const lastCovering = (sample: TraceSample) => polls.find((p) => p - reach > sample.at) ?? T0 + 600 * S;
    const everything = await traces(options).read(window('v1', 0, 580));
    const expected: TraceSample[] = [];
    let withinReach = 0;
    let caughtLater = 0;
    for (const sample of everything) {
      if (!(await visibleBy(sample, lastCovering(sample)))) {
        expect(await visibleBy(sample, Math.min(sample.at + reach, T0 + 600 * S))).toBe(false);
        continue;
      }
      expected.push(sample);
      if (await visibleBy(sample, sample.at + reach)) withinReach += 1;
      else caughtLater += 1;
    }

    expect(new Set(returned.map((s) => s.traceId)).size).toBe(returned.length);
    expect(inTimeOrder(returned)).toEqual(inTimeOrder(expected));
    // Delays run to 120 s, past settle + overlap (60 s): some traces are missed, some only just caught.
    expect(everything.length - expected.length).toBeGreaterThan(1_000);
    expect(withinReach).toBeGreaterThan(4_000);
    expect(caughtLater).toBeGreaterThan(200);
  });
});
