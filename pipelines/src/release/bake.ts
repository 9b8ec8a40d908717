import type { StepGate } from '../gates/step-gate';
import { type Verdict, worstVerdict } from '../judge/verdict';
import type { GateReading } from '../record/reading';
import { CancelledError, cancellationReason, untilAborted } from '../time/abortable';
import type { Clock } from '../time/clock';
import { formatDuration } from '../time/duration';

export interface BakeSettings {
  bakeMs: number;
  /** The step may keep baking this long while its gates are inconclusive (at least `bakeMs`). */
  maxBakeMs: number;
  pollIntervalMs: number;
  maxConsecutiveErrors: number;
}

export interface BakeResult {
  verdict: Verdict;
  reason: string;
  polls: number;
  readings: GateReading[];
}

/**
 * Bakes one step: polls every gate each interval. Any failing reading ends the step at once; a step
 * passes only when its bake is over and its latest poll is a clean pass; it stays inconclusive until
 * `maxBakeMs`; signal read errors are tolerated up to `maxConsecutiveErrors` polls in a row. An aborted
 * `signal` (the job was cancelled) ends the step at once as an error, so it rolls back.
 */
export async function bakeStep(
  gate: StepGate,
  clock: Clock,
  settings: BakeSettings,
  onPoll: (readings: GateReading[]) => void,
  signal?: AbortSignal,
): Promise<BakeResult> {
  const start = clock.now();
  let polls = 0;
  let consecutiveErrors = 0;
  for (;;) {
    await clock.sleep(nextSleep(clock.now() - start, settings), signal);
    const cancelled = (): BakeResult => ({
      verdict: 'error',
      reason: cancelledReason(signal),
      polls,
      readings: [],
    });
    if (signal?.aborted) return cancelled();
    let readings: GateReading[];
    try {
      readings = await untilAborted(gate.poll(clock.now()), signal);
    } catch (error) {
      if (error instanceof CancelledError) return cancelled();
      throw error;
    }
    polls += 1;
    onPoll(readings);
    const verdict = worstVerdict(readings.map((reading) => reading.verdict));
    consecutiveErrors = verdict === 'error' ? consecutiveErrors + 1 : 0;
    const result = (v: Verdict, reason: string): BakeResult => ({ verdict: v, reason, polls, readings });
    if (verdict === 'fail') return result('fail', reasonsOf(readings, 'fail'));
    if (consecutiveErrors >= settings.maxConsecutiveErrors) {
      const why = `signals unreadable for ${consecutiveErrors} polls in a row (limit ${settings.maxConsecutiveErrors})`;
      return result('error', `${why}: ${reasonsOf(readings, 'error')}`);
    }
    const elapsed = clock.now() - start;
    if (elapsed >= settings.bakeMs && verdict === 'pass')
      return result('pass', passReason(readings, elapsed));
    if (elapsed >= settings.maxBakeMs) {
      const why = `still ${verdict} after the maximum bake of ${formatDuration(settings.maxBakeMs)}`;
      return result('inconclusive', `${why}: ${reasonsOf(readings, verdict)}`);
    }
  }
}

export function cancelledReason(signal: AbortSignal | undefined): string {
  return `release cancelled (${signal ? cancellationReason(signal) : 'aborted'})`;
}

/** Sleeps one poll interval, but lands exactly on the end of the bake and of the maximum bake. */
function nextSleep(elapsed: number, settings: BakeSettings): number {
  if (elapsed >= settings.maxBakeMs) return 0;
  for (const deadline of [settings.bakeMs, settings.maxBakeMs]) {
    const until = deadline - elapsed;
    if (until > 0 && until < settings.pollIntervalMs) return until;
  }
  return settings.pollIntervalMs;
}

/** The reasons of the readings with `verdict`, as one sentence list. */
export function reasonsOf(readings: readonly GateReading[], verdict: Verdict): string {
  return readings
    .filter((reading) => reading.verdict === verdict)
    .map((reading) => `${reading.metric}: ${reading.reason}`)
    .join('; ');
}

function passReason(readings: readonly GateReading[], elapsed: number): string {
  const judged = readings.filter((reading) => reading.gate !== 'platform');
  const checks = judged.length === 0 ? 'no gates configured' : `${judged.length} gate readings pass`;
  return `baked ${formatDuration(elapsed)}; ${checks}`;
}
