import type { Clock } from '../clock/clock';
import type { GateReading } from '../gates/reading';
import type { StepGate } from '../gates/step-gate';
import { type Verdict, worstVerdict } from '../judge/verdict';
import { formatDuration } from '../policy/quantities';

export interface BakeSettings {
  bakeMs: number;
  /** The step may keep baking this long while its gates are inconclusive. */
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
 * `maxBakeMs`; signal read errors are tolerated up to `maxConsecutiveErrors` polls in a row. An
 * aborted `signal` (the job was cancelled) ends the step at once as an error, so it rolls back.
 */
export async function bakeStep(
  gate: StepGate,
  clock: Clock,
  settings: BakeSettings,
  onPoll: (readings: GateReading[]) => void,
  signal?: AbortSignal,
): Promise<BakeResult> {
  const start = clock.now();
  let from = start;
  let polls = 0;
  let consecutiveErrors = 0;
  for (;;) {
    await clock.sleep(nextSleep(clock.now() - start, settings), signal);
    if (signal?.aborted) return { verdict: 'error', reason: cancelledReason(signal), polls, readings: [] };
    const to = clock.now();
    const readings = await gate.poll({ from, to });
    from = to;
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
    const elapsed = to - start;
    if (elapsed >= settings.bakeMs && verdict === 'pass')
      return result('pass', passReason(readings, elapsed));
    if (elapsed >= settings.maxBakeMs) {
      const why = `still ${verdict} after the maximum bake of ${formatDuration(settings.maxBakeMs)}`;
      return result('inconclusive', `${why}: ${reasonsOf(readings, verdict)}`);
    }
  }
}

export function cancelledReason(signal: AbortSignal): string {
  const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
  return `release cancelled (${why})`;
}

/** Sleeps one poll interval, but lands exactly on the end of the bake rather than overshooting it. */
function nextSleep(elapsed: number, settings: BakeSettings): number {
  const untilBakeEnds = settings.bakeMs - elapsed;
  if (untilBakeEnds > 0 && untilBakeEnds < settings.pollIntervalMs) return untilBakeEnds;
  return settings.pollIntervalMs;
}

function reasonsOf(readings: readonly GateReading[], verdict: Verdict): string {
  return readings
    .filter((reading) => reading.verdict === verdict)
    .map((reading) => `${reading.metric}: ${reading.reason}`)
    .join('; ');
}

function passReason(readings: readonly GateReading[], elapsed: number): string {
  const checks = readings.length === 0 ? 'no gates configured' : `${readings.length} gate readings pass`;
  return `baked ${formatDuration(elapsed)}; ${checks}`;
}
