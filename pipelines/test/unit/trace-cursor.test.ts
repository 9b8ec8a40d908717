import { describe, expect, it } from 'vitest';
import type {
  TraceBatch,
  TraceCursor,
  TraceSample,
  TraceSource,
  TraceTiming,
  TraceWindow,
} from '../../src/signals/ports';
import { openTraceCursor } from '../../src/signals/trace-cursor';

/** A trace as the fake store holds it: readable from `visibleAt` on, returned `copies` times a read. */
interface Stored {
  traceId: string;
  at: number;
  visibleAt: number;
  copies?: number;
}

interface FakeOptions {
  /** Return each read newest first, as a paginated API may. */
  reverse?: boolean;
  /** Also return traces this far outside the window, as a source with coarse time filters does. */
  marginMs?: number;
}

/** A trace store that indexes late and repeats itself, over a fixed list of traces. */
class FakeTraces implements TraceSource {
  readonly reads: TraceWindow[] = [];
  /** How many times each trace id was handed out, over all reads. */
  readonly served = new Map<string, number>();
  private readonly stored: Stored[];
  private failures: Error[] = [];

  constructor(
    readonly timing: TraceTiming,
    stored: readonly Stored[],
    private readonly clock: () => number,
    private readonly options: FakeOptions = {},
  ) {
    this.stored = [...stored].sort((a, b) => a.at - b.at);
  }

  failNextRead(error: Error): void {
    this.failures.push(error);
  }

  async read(window: TraceWindow): Promise<TraceSample[]> {
    this.reads.push(window);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const margin = this.options.marginMs ?? 0;
    const now = this.clock();
    const samples: TraceSample[] = [];
    for (let i = firstAtOrAfter(this.stored, window.from - margin); i < this.stored.length; i += 1) {
      const trace = this.stored[i] as Stored;
      if (trace.at >= window.to + margin) break;
      if (trace.visibleAt > now) continue;
      for (let copy = 0; copy < (trace.copies ?? 1); copy += 1) samples.push(sampleOf(trace));
      this.served.set(trace.traceId, (this.served.get(trace.traceId) ?? 0) + 1);
    }
    return this.options.reverse ? samples.reverse() : samples;
  }
}

function sampleOf(trace: Stored): TraceSample {
  return { traceId: trace.traceId, at: trace.at, latencyMs: 100 + (trace.at % 97), fault: false };
}

function firstAtOrAfter(sorted: readonly Stored[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid]?.at ?? Number.POSITIVE_INFINITY) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const S = 1_000;
const START = { workload: 'search', version: 'v2', from: 0 };

type Open = (source: TraceSource, start: typeof START) => TraceCursor;

/** A cursor over a fake store sharing one virtual clock, and a way to poll it. */
function setUp(
  timing: TraceTiming,
  stored: readonly Stored[],
  options: FakeOptions = {},
  from = 0,
  open: Open = openTraceCursor,
) {
  let now = 0;
  const source = new FakeTraces(timing, stored, () => now, options);
  const cursor = open(source, { ...START, from });
  const poll = (at: number): Promise<TraceBatch> => {
    now = at;
    return cursor.next(at);
  };
  return { source, cursor, poll };
}

const ids = (batch: TraceBatch) => batch.samples.map((s) => s.traceId);

/** Polls at each time and returns every batch's trace ids. */
async function idsPerPoll(poll: (at: number) => Promise<TraceBatch>, times: readonly number[]) {
  const batches: string[][] = [];
  for (const at of times) batches.push(ids(await poll(at)));
  return batches;
}

const every = (stepMs: number, untilMs: number) =>
  Array.from({ length: Math.floor(untilMs / stepMs) }, (_, i) => (i + 1) * stepMs);

describe('openTraceCursor', () => {
  it('reads nothing until settleMs have passed', async () => {
    const { source, poll } = setUp({ settleMs: 30 * S, overlapMs: 30 * S }, [
      { traceId: 'a', at: 500, visibleAt: 500 },
    ]);
    expect(await poll(10 * S)).toEqual({ samples: [], completeUntil: 0 });
    expect(await poll(30 * S)).toEqual({ samples: [], completeUntil: 0 });
    expect(source.reads).toEqual([]);
    expect(ids(await poll(31 * S))).toEqual(['a']);
    expect(source.reads).toEqual([{ workload: 'search', version: 'v2', from: 0, to: S }]);
  });

  it('returns traces indexed after the first read covering them, within settle + overlap, exactly once', async () => {
    // settle 10 s + overlap 30 s: a trace indexed up to 40 s after its request is caught.
    const { poll } = setUp({ settleMs: 10 * S, overlapMs: 30 * S }, [
      { traceId: 'on-time', at: 2 * S, visibleAt: 3 * S },
      { traceId: 'late-20s', at: 5 * S, visibleAt: 25 * S },
      { traceId: 'late-40s', at: 5 * S, visibleAt: 45 * S },
    ]);
    expect(await idsPerPoll(poll, every(20 * S, 200 * S))).toEqual([
      ['on-time'], // 20 s reads [0, 10 s): the two late ones are not indexed yet
      ['late-20s'], // 40 s reads [0, 30 s)
      ['late-40s'], // 60 s reads [0, 50 s)
      ...Array.from({ length: 7 }, () => []),
    ]);
  });

  it('misses a trace indexed later than settle + overlap after its request: the price of bounded memory', async () => {
    const stored = [
      { traceId: 'late-56s', at: 5 * S, visibleAt: 61 * S },
      { traceId: 'late-15min', at: 5 * S, visibleAt: 900 * S },
    ];
    const { source, poll } = setUp({ settleMs: 10 * S, overlapMs: 30 * S }, stored);
    const batches = await idsPerPoll(poll, every(20 * S, 1_200 * S));
    expect(batches.flat()).toEqual([]);
    // The last read that covered 5 s was at 60 s; later reads start after it.
    expect(source.reads.filter((w) => w.from <= 5 * S).map((w) => w.to)).toEqual([10 * S, 30 * S, 50 * S]);
    // The store does have them: a fresh read of their window returns both.
    const fresh = await source.read({ ...START, from: 0, to: 10 * S });
    expect(fresh.map((s) => s.traceId).sort()).toEqual(['late-15min', 'late-56s']);
  });

  it('never returns a trace twice, whether repeated within one read or across overlapping reads', async () => {
    const { source, poll } = setUp({ settleMs: 10 * S, overlapMs: 30 * S }, [
      { traceId: 'paged-twice', at: 1 * S, visibleAt: 1 * S, copies: 2 },
      { traceId: 'early', at: 2 * S, visibleAt: 2 * S },
      { traceId: 'late', at: 3 * S, visibleAt: 30 * S, copies: 3 },
    ]);
    const batches = await idsPerPoll(poll, every(20 * S, 100 * S));
    expect(batches).toEqual([['paged-twice', 'early'], ['late'], [], [], []]);
    // The store handed 'early' out on each of the three reads whose window covered it.
    expect(source.served.get('early')).toBe(3);
    expect(source.served.get('paged-twice')).toBe(3);
  });

  it('returns the same traces when the source answers out of order', async () => {
    // 400 traces over 200 s, indexed 0–39 s late (within settle + overlap), every third one twice.
    const stored = Array.from({ length: 400 }, (_, i) => ({
      traceId: `t${i}`,
      at: i * 500,
      visibleAt: i * 500 + ((i * 7_919) % 40) * S,
      copies: i % 3 === 0 ? 2 : 1,
    }));
    const { poll } = setUp({ settleMs: 10 * S, overlapMs: 30 * S }, stored, { reverse: true });
    const returned = (await idsPerPoll(poll, every(20 * S, 260 * S))).flat();
    expect(returned).toHaveLength(400);
    expect(new Set(returned)).toEqual(new Set(stored.map((t) => t.traceId)));
  });

  it('never returns a trace from before its start, nor one outside the window read', async () => {
    const stored = [50, 99.999, 100, 130, 200].map((seconds) => ({
      traceId: `at-${seconds}s`,
      at: seconds * S,
      visibleAt: seconds * S,
    }));
    // This store also returns traces up to a minute either side of the window asked for.
    const { poll } = setUp({ settleMs: 10 * S, overlapMs: 30 * S }, stored, { marginMs: 60 * S }, 100 * S);
    expect(await idsPerPoll(poll, [120 * S, 150 * S, 220 * S, 300 * S])).toEqual([
      ['at-100s'],
      ['at-130s'],
      ['at-200s'],
      [],
    ]);
  });

  it('reports completeUntil as now - settleMs, never moving back', async () => {
    const { source, poll } = setUp({ settleMs: 10 * S, overlapMs: 30 * S }, []);
    const completeUntil = async (at: number) => (await poll(at)).completeUntil;
    expect(await completeUntil(5 * S)).toBe(0);
    expect(await completeUntil(40 * S)).toBe(30 * S);
    expect(await completeUntil(35 * S)).toBe(30 * S);
    expect(await completeUntil(40 * S)).toBe(30 * S);
    expect(await completeUntil(100 * S)).toBe(90 * S);
    expect(source.reads.map((w) => [w.from, w.to])).toEqual([
      [0, 30 * S],
      [0, 90 * S],
    ]);
  });

  it('changes nothing on a failed read, so the retry returns what an unfailed cursor would', async () => {
    const stored = Array.from({ length: 100 }, (_, i) => ({
      traceId: `t${i}`,
      at: i * S,
      visibleAt: i * S + (i % 5) * 8 * S,
    }));
    const timing = { settleMs: 10 * S, overlapMs: 30 * S };
    const failing = setUp(timing, stored);
    const steady = setUp(timing, stored);
    const times = every(20 * S, 160 * S);
    for (const [index, at] of times.entries()) {
      if (index === 3) {
        failing.source.failNextRead(new Error('ThrottlingException: Rate exceeded'));
        await expect(failing.poll(at)).rejects.toThrow('ThrottlingException: Rate exceeded');
      }
      expect(await failing.poll(at)).toEqual(await steady.poll(at));
    }
    const failed = failing.source.reads[3];
    expect(failing.source.reads[4]).toEqual(failed);
    expect(failing.source.reads.slice(4)).toEqual(steady.source.reads.slice(3));
  });

  it('queues overlapping calls, so they cannot return a trace twice or move completeUntil back', async () => {
    // Indexed at once: the calls below move the shared clock back and forth.
    const stored = Array.from({ length: 160 }, (_, i) => ({ traceId: `t${i}`, at: i * S, visibleAt: 0 }));
    const { poll } = setUp({ settleMs: 10 * S, overlapMs: 5 * S }, stored);
    await poll(100 * S);
    const [a, b, c] = await Promise.all([poll(130 * S), poll(160 * S), poll(140 * S)]);
    expect(a.completeUntil).toBe(120 * S);
    expect(b.completeUntil).toBe(150 * S);
    expect(c).toEqual({ samples: [], completeUntil: 150 * S });
    const returned = [...ids(a), ...ids(b)];
    expect(returned).toEqual(Array.from({ length: 60 }, (_, i) => `t${90 + i}`));
  });

  it('remembers only the overlap window of ids: a 2-hour bake at 3,000 traces a minute', async () => {
    const rate = 50; // traces a second
    const twoHours = 2 * 3_600 * S;
    const stored = Array.from({ length: (twoHours / S) * rate }, (_, i) => ({
      traceId: `t${i}`,
      at: (i * S) / rate,
      visibleAt: (i * S) / rate + (i % 7) * 10 * S,
      copies: i % 5 === 0 ? 2 : 1,
    }));
    const timing = { settleMs: 30 * S, overlapMs: 60 * S };
    let largest = () => 0;
    const { poll } = setUp(timing, stored, { reverse: true }, 0, (source, start) => {
      const measured = largestMapOpenedBy(() => openTraceCursor(source, start));
      largest = measured.largest;
      return measured.value;
    });
    const returned = new Set<string>();
    let count = 0;
    // Polls go on 90 s past the traffic, so the last minute's stragglers are read too.
    for (const at of every(30 * S, twoHours + 90 * S)) {
      const batch = await poll(at);
      for (const id of ids(batch)) returned.add(id);
      count += batch.samples.length;
    }
    expect(count).toBe(stored.length);
    expect(returned.size).toBe(stored.length);
    // A read spans the overlap plus one poll interval (90 s): at most 4,500 traces, of 360,000.
    expect(largest()).toBeGreaterThan(3_000);
    expect(largest()).toBeLessThanOrEqual(90 * rate);
  });
});

/**
 * Runs `open` with every `Map` it creates recording its largest size: the cursor keeps its seen ids in
 * one, and this measures it without widening the cursor's API. Only construction runs under it.
 */
function largestMapOpenedBy<T>(open: () => T): { value: T; largest: () => number } {
  let largest = 0;
  class MeasuredMap<K, V> extends Map<K, V> {
    override set(key: K, value: V): this {
      super.set(key, value);
      largest = Math.max(largest, this.size);
      return this;
    }
  }
  const original = globalThis.Map;
  globalThis.Map = MeasuredMap;
  try {
    return { value: open(), largest: () => largest };
  } finally {
    globalThis.Map = original;
  }
}
