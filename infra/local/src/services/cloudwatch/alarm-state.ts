export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export interface Evaluation {
  /** The alarm's datapoints over the evaluation range, oldest first; undefined = missing. */
  points: (number | undefined)[];
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
  breaches: (value: number) => boolean;
  current: AlarmState;
}

/**
 * CloudWatch's evaluation of an M-out-of-N alarm over its evaluation range (CloudWatch user guide,
 * "How alarm state is evaluated when data is missing"):
 * - no real datapoint in the range: missing → INSUFFICIENT_DATA, ignore → current state, breaching →
 *   ALARM, notBreaching → OK;
 * - at least N real datapoints: the N most recent real ones decide (M breaching → ALARM);
 * - fewer: every real datapoint counts and missing ones fill the rest by the TreatMissingData rule
 *   (ignore: the state holds unless both fillings agree); with `missing`, nothing is filled, and the
 *   premature-transition rule applies: ALARM when the oldest breaching datapoint is at least M periods
 *   old and every more recent datapoint is breaching or missing.
 */
export function evaluateAlarm(evaluation: Evaluation): AlarmState {
  const {
    points,
    evaluationPeriods: n,
    datapointsToAlarm: m,
    treatMissingData,
    breaches,
    current,
  } = evaluation;
  const real = points.filter((p): p is number => p !== undefined);
  if (real.length === 0) {
    if (treatMissingData === 'missing') return 'INSUFFICIENT_DATA';
    if (treatMissingData === 'ignore') return current;
    return treatMissingData === 'breaching' ? 'ALARM' : 'OK';
  }
  if (real.length >= n) return real.slice(-n).filter(breaches).length >= m ? 'ALARM' : 'OK';
  const breaching = real.filter(breaches).length;
  const filled = (missingBreach: boolean) =>
    breaching + (missingBreach ? n - real.length : 0) >= m ? 'ALARM' : 'OK';
  switch (treatMissingData) {
    case 'breaching':
      return filled(true);
    case 'notBreaching':
      return filled(false);
    case 'ignore':
      return filled(true) === filled(false) ? filled(false) : current;
    case 'missing':
      return breaching >= m || prematureAlarm(points, m, breaches) ? 'ALARM' : 'OK';
  }
}

function prematureAlarm(
  points: (number | undefined)[],
  m: number,
  breaches: (v: number) => boolean,
): boolean {
  const oldest = points.findIndex((p) => p !== undefined && breaches(p));
  if (oldest < 0 || points.length - oldest < m) return false;
  return points.slice(oldest).every((p) => p === undefined || breaches(p));
}

export function comparison(operator: string, threshold: number): (value: number) => boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return (v) => v >= threshold;
    case 'GreaterThanThreshold':
      return (v) => v > threshold;
    case 'LessThanThreshold':
      return (v) => v < threshold;
    case 'LessThanOrEqualToThreshold':
      return (v) => v <= threshold;
    default:
      throw new Error(
        `the local CloudWatch does not evaluate ComparisonOperator ${operator} (anomaly detection)`,
      );
  }
}

const PHRASES: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** StateReason in CloudWatch's words for a new state reached from `points` (with their period starts). */
export function stateReason(
  state: AlarmState,
  operator: string,
  threshold: number,
  m: number,
  points: { at: number; value: number | undefined }[],
): string {
  const real = points.filter((p) => p.value !== undefined).reverse();
  if (real.length === 0) return `Insufficient Data: ${points.length} datapoints were unknown.`;
  const breaching = state === 'ALARM';
  const listed = real.map((p) => `${javaDouble(p.value as number)} (${stamp(p.at)})`).join(', ');
  const verb = breaching ? 'were' : 'were not';
  return `Threshold Crossed: ${real.length} datapoint${real.length === 1 ? '' : 's'} [${listed}] ${verb} ${PHRASES[operator] ?? operator} the threshold (${javaDouble(threshold)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`;
}

function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** dd/MM/yy HH:mm:ss in UTC, as CloudWatch prints datapoint times. */
function stamp(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
