import { describe, expect, it } from 'vitest';
import {
  type AlarmState,
  evaluateAlarm,
  type TreatMissingData,
} from '../../../src/services/cloudwatch/alarm-state';

const X = 10; // breaching (threshold 5, >=)
const O = 0; // not breaching
const _ = undefined;

function state(points: (number | undefined)[], treat: TreatMissingData, current: AlarmState = 'OK', m = 3) {
  return evaluateAlarm({
    points,
    evaluationPeriods: 3,
    datapointsToAlarm: m,
    treatMissingData: treat,
    breaches: (v) => v >= 5,
    current,
  });
}

/**
 * The table of the CloudWatch user guide ("How alarm state is evaluated when data is missing"): a 3 out of 3
 * alarm, an evaluation range of 5 periods, oldest first; the current state is ALARM so "retain" is visible.
 */
describe.each([
  { points: [O, _, X, _, X], missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' },
  { points: [O, _, _, _, _], missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' },
  {
    points: [_, _, _, _, _],
    missing: 'INSUFFICIENT_DATA',
    ignore: 'ALARM',
    breaching: 'ALARM',
    notBreaching: 'OK',
  },
  { points: [O, X, X, _, X], missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' },
  { points: [_, _, X, _, _], missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'OK' },
])('datapoints $points', (row) => {
  it.each(['missing', 'ignore', 'breaching', 'notBreaching'] as const)('treated as %s', (treat) => {
    expect(state(row.points, treat, 'ALARM')).toBe(row[treat]);
  });
});

describe('M out of N and retained states', () => {
  it('alarms on 2 of 3 breaching with DatapointsToAlarm 2, not on 1 of 3', () => {
    expect(state([_, _, X, O, X], 'missing', 'OK', 2)).toBe('ALARM');
    expect(state([_, _, X, O, O], 'missing', 'OK', 2)).toBe('OK');
  });

  it('ignore keeps OK when the filling decides nothing, and the last N real points count', () => {
    expect(state([_, _, X, _, _], 'ignore', 'OK')).toBe('OK');
    expect(state([X, X, O, X, X], 'ignore', 'OK')).toBe('OK');
    expect(state([O, X, X, X, _], 'notBreaching', 'OK')).toBe('ALARM');
  });

  it('missing: a lone recent breaching point is not yet an alarm (premature transition avoided)', () => {
    expect(state([_, _, _, X, _], 'missing', 'OK')).toBe('OK');
    expect(state([_, _, _, _, X], 'missing', 'OK')).toBe('OK');
  });
});
