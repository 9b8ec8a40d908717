import type { TraceBatch, TraceCursor, TraceSample, TraceSource } from './ports';

export interface TraceCursorStart {
  workload: string;
  version: string;
  /** The first request time the cursor counts (ms since the epoch), inclusive. */
  from: number;
  /** The end of a closed window (exclusive): the cursor reads nothing later. Default: open-ended. */
  until?: number;
}

/**
 * Reads one version's traces from `start.from` on, each exactly once, for a judge that keeps state.
 *
 * Each call reads up to `now - settleMs` (the source's data is taken as complete up to there) and
 * starts `overlapMs` before the previous end, so a trace indexed late is still caught by the next
 * read or two. Trace ids seen are remembered only while a later read can still return them, i.e.
 * for the overlap, so memory is bounded by the traffic of the overlap window, not of the bake.
 *
 * Guaranteed: a trace indexed within `settleMs + overlapMs` of its request is returned exactly once;
 * no trace is returned twice, whatever the source repeats or reorders; a failed read changes nothing,
 * so the next call retries the same window; overlapping calls are queued, as if made one after another.
 * Not guaranteed: a trace indexed later than that is missed (unless it shows before the last read that
 * covers it, up to one poll later), the price of bounded memory. And `completeUntil` is only as true as
 * `settleMs`: a trace indexed later than `settleMs` comes in a batch after `completeUntil` passed it.
 */
export function openTraceCursor(source: TraceSource, start: TraceCursorStart): TraceCursor {
  const { settleMs, overlapMs } = source.timing;
  let completeUntil = start.from;
  /** Trace id → request time, of every trace returned whose request a later read still covers. */
  const seen = new Map<string, number>();

  async function step(now: number): Promise<TraceBatch> {
    const to = Math.min(now - settleMs, start.until ?? Number.POSITIVE_INFINITY);
    if (to <= completeUntil) return { samples: [], completeUntil };
    const from = Math.max(start.from, completeUntil - overlapMs);
    const read = await source.read({ workload: start.workload, version: start.version, from, to });
    // Nothing changes before the read succeeded: a throw above leaves the cursor as it was.
    const samples: TraceSample[] = [];
    for (const sample of read) {
      // Outside the window its id may be forgotten already; its own window reads it, once.
      if (sample.at < from || sample.at >= to || seen.has(sample.traceId)) continue;
      seen.set(sample.traceId, sample.at);
      samples.push(sample);
    }
    completeUntil = to;
    forgetBefore(seen, completeUntil - overlapMs);
    return { samples, completeUntil };
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    next(now) {
      const batch = queue.then(() => step(now));
      queue = batch.catch(() => undefined);
      return batch;
    },
  };
}

/** No later read starts before `horizon`, so no later read can return these traces again. */
function forgetBefore(seen: Map<string, number>, horizon: number): void {
  for (const [traceId, at] of seen) if (at < horizon) seen.delete(traceId);
}
