import { describe, expect, it } from 'vitest';
import { readAlarmGate } from '../../src/gates/alarm-gate';
import { MemoryAlarms } from '../../src/signals/memory-alarms';

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
        metric: 'c',
        verdict: 'error',
        reason: 'no such alarm (a typo, or another account or Region?)',
      }),
    ]);
  });
});
