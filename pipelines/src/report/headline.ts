import { milliseconds, percent } from '../judge/explain';
import type { GateReading } from '../record/reading';
import type { ReleaseRecord, StepRecord } from '../record/record';
import { readingInWords, type Versions } from './reading-words';

export function versionsOf(record: ReleaseRecord): Versions {
  return { canary: record.toVersion, baseline: record.fromVersion };
}

/**
 * A step in one plain sentence, led by what decided it: "Step 2 at 25%: the new version was slower —
 * p99 latency 412 ms vs 305 ms on v1, more than the 20% allowed".
 */
export function stepHeadline(step: StepRecord, versions: Versions): string {
  const label = `Step ${step.index + 1} at ${step.weight}%`;
  const approved = step.approvedBy ? `; approved by ${step.approvedBy}` : '';
  if (step.verdict === 'pass') return `${label}: ${passedInWords(step.readings, versions)}`;
  const deciding = step.readings.filter((r) => r.verdict === step.verdict);
  const shown = deciding.length > 0 ? deciding : step.readings.filter((r) => r.verdict !== 'pass');
  const [first, ...others] = shown;
  if (!first) return `${label}: ${step.reason}${approved}`;
  const prefix = step.verdict === 'inconclusive' ? 'could not tell in time — ' : '';
  const also = others.length > 0 ? `; also ${others.map((r) => r.metric).join(', ')}` : '';
  return `${label}: ${prefix}${readingInWords(first, versions)}${also}${approved}`;
}

function passedInWords(readings: readonly GateReading[], versions: Versions): string {
  const figures = readings.filter((r) => r.canary !== undefined && r.baseline !== undefined).map(figure);
  const alarms = readings.filter((r) => r.gate === 'alarm');
  const alarmWords = alarms.length === 0 ? '' : '; no alarm went off';
  if (figures.length === 0) return `every check passed${alarmWords}`;
  return `the new version held up against ${versions.baseline} — ${figures.join(', ')}${alarmWords}`;
}

/** "p99 latency 402 ms vs 399 ms", "faults 0.21% vs 0.22%". */
function figure(reading: GateReading): string {
  const value = (v: number | undefined) =>
    reading.unit === 'ratio' ? percent(v ?? Number.NaN, 2) : milliseconds(v ?? Number.NaN);
  const name = reading.unit === 'ratio' ? 'faults' : reading.metric;
  return `${name} ${value(reading.canary)} vs ${value(reading.baseline)}`;
}

/** The report's first sentence: what happened to the release and why, in plain words. */
export function releaseHeadline(record: ReleaseRecord): string {
  const versions = versionsOf(record);
  const last = record.steps.at(-1);
  const decided = last && last.verdict !== 'pass' ? stepHeadline(last, versions) : undefined;
  switch (record.outcome) {
    case 'promoted': {
      const steps = record.steps.length;
      const held =
        steps === 0 ? '' : `: ${counted(steps, 'its step', 'steps')} held up against ${record.fromVersion}`;
      return `${record.toVersion} now takes all traffic${held}.`;
    }
    case 'rolled-back':
      if (record.manualRollback) {
        return `${record.actor} rolled back by hand to ${record.toVersion}, all at once and without analysis; ${record.toVersion} takes all traffic. Their reason: ${record.manualRollback.reason}.`;
      }
      return `Rolled back: all traffic is on ${record.fromVersion} again. ${decided ?? record.reason}.`;
    case 'held':
      return `${record.toVersion} is held at ${last?.weight ?? 0}% waiting for approval. ${decided ?? record.reason}.`;
    case 'blocked':
      return `Nothing moved: ${blockedInWords(record, versions)}.`;
    case 'failed':
      return `Tollgate could not finish the release: ${record.reason}.`;
    case 'abandoned':
      return `This release was closed unfinished: ${record.reason}.`;
    case 'in-progress':
      return `In progress: ${record.reason}.`;
  }
}

function blockedInWords(record: ReleaseRecord, versions: Versions): string {
  const blocked = record.events.findLast((event) => event.type === 'blocked');
  const failing = (blocked?.readings ?? []).filter((r) => r.verdict !== 'pass');
  if (failing.length === 0) return record.reason;
  return `the release did not start because ${failing.map((r) => readingInWords(r, versions)).join('; ')}`;
}

/** "the alarm", "both alarms", "all 3 alarms". */
function counted(n: number, one: string, many: string): string {
  if (n === 1) return one;
  return n === 2 ? `both ${many}` : `all ${n} ${many}`;
}
