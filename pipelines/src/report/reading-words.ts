import { count, milliseconds, percent } from '../judge/explain';
import type { GateReading } from '../record/reading';

/** The two versions a reading compares, as a release manager calls them. */
export interface Versions {
  canary: string;
  baseline: string;
}

/**
 * One reading in plain words, figures included and no statistics: "the new version was slower — p99
 * latency 412 ms vs 305 ms on v1, more than the 20% allowed". The judge's own reasoning is evidence,
 * shown beside it, never instead of it.
 */
export function readingInWords(reading: GateReading, versions: Versions): string {
  if (reading.verdict === 'error') return errorInWords(reading);
  switch (reading.gate) {
    case 'alarm':
      return alarmInWords(reading);
    case 'platform':
      return reading.verdict === 'pass'
        ? reading.reason
        : `the platform did not run the step as set — ${reading.reason}`;
    default:
      return reading.unit === 'ratio' ? faultsInWords(reading, versions) : latencyInWords(reading, versions);
  }
}

/** The short verdict of a reading for a table's Result column. */
export function resultInWords(reading: GateReading): string {
  switch (reading.verdict) {
    case 'pass':
      return reading.gate === 'latency' || reading.gate === 'errors' ? '✅ within the limit' : '✅ fine';
    case 'fail':
      return reading.gate === 'latency' || reading.gate === 'errors' ? '❌ over the limit' : '❌ failed';
    case 'inconclusive':
      return tooFew(reading) ? '⚠️ too few requests yet' : '⚠️ not decided yet';
    case 'error':
      return '🛑 could not be read';
  }
}

/** "130 ms (+10%)", "1.22% (+1 pt)": the limit and how far above the current version it lies. */
export function limitInWords(reading: GateReading): string {
  const { threshold, baseline } = reading;
  if (threshold === undefined || baseline === undefined) return '—';
  if (reading.unit === 'ratio') return `${percent(threshold, 2)} (+${points(threshold - baseline)} pt)`;
  if (reading.unit === 'ms') return `${milliseconds(threshold)} (+${allowance(reading)})`;
  return '—';
}

function errorInWords(reading: GateReading): string {
  if (reading.gate === 'alarm') return `alarm ${reading.metric} could not be checked — ${reading.reason}`;
  return reading.reason.startsWith('could not')
    ? reading.reason
    : `${reading.metric} could not be checked — ${reading.reason}`;
}

function alarmInWords(reading: GateReading): string {
  switch (reading.verdict) {
    case 'pass':
      return reading.state === 'OK'
        ? `alarm ${reading.metric} is OK`
        : `alarm ${reading.metric}: ${reading.reason}`;
    case 'fail':
      return `alarm ${reading.metric} went off — ${reading.reason}`;
    default:
      return `alarm ${reading.metric} has no data yet — ${reading.reason}`;
  }
}

function latencyInWords(reading: GateReading, versions: Versions): string {
  const figures = `${reading.metric} ${milliseconds(reading.canary ?? Number.NaN)} vs ${milliseconds(reading.baseline ?? Number.NaN)} on ${versions.baseline}`;
  switch (reading.verdict) {
    case 'pass':
      return `${figures}, within the ${allowance(reading)} allowed`;
    case 'fail':
      return `the new version was slower — ${figures}, more than the ${allowance(reading)} allowed`;
    default:
      return undecided(
        reading,
        versions,
        `${figures} (limit ${milliseconds(reading.threshold ?? Number.NaN)})`,
      );
  }
}

function faultsInWords(reading: GateReading, versions: Versions): string {
  const figures = `faults on ${percent(reading.canary ?? Number.NaN, 2)} of requests vs ${percent(reading.baseline ?? Number.NaN, 2)} on ${versions.baseline}`;
  const allowed = `${points((reading.threshold ?? Number.NaN) - (reading.baseline ?? Number.NaN))} percentage point`;
  switch (reading.verdict) {
    case 'pass':
      return `${figures}, within the ${allowed} allowed`;
    case 'fail':
      return `the new version failed more requests — ${figures}, more than the ${allowed} allowed`;
    default:
      return undecided(reading, versions, figures);
  }
}

function undecided(reading: GateReading, versions: Versions, figures: string): string {
  const more = Number(reading.details?.moreCanarySamples ?? 0);
  const needed = more > 0 ? `; about ${count(more)} more requests on ${versions.canary} needed` : '';
  if (tooFew(reading)) {
    const seen = reading.samples
      ? ` (${count(reading.samples.canary)} on ${versions.canary}, ${count(reading.samples.baseline)} on ${versions.baseline})`
      : '';
    return `too few requests to tell ${reading.metric} yet${seen}${needed}`;
  }
  return `${reading.metric} not decided yet — ${figures}${needed}`;
}

/** The judge compares nothing below its minimum sample count: such readings carry no figures. */
function tooFew(reading: GateReading): boolean {
  return (reading.gate === 'latency' || reading.gate === 'errors') && reading.canary === undefined;
}

/** The latency increase the limit allows: the threshold over the current version's figure, "20%". */
function allowance(reading: GateReading): string {
  const { threshold, baseline } = reading;
  if (threshold === undefined || baseline === undefined || baseline <= 0) return '?%';
  return percent(threshold / baseline - 1, 1);
}

/** A difference of two rates in percentage points, "1", "0.5". */
function points(difference: number): string {
  return Number.isFinite(difference) ? String(Number((difference * 100).toFixed(2))) : '?';
}
