import { readAlarmGate } from '../gates/alarm-gate';
import type { GatePolicy } from '../policy/schema';
import type { GateReading } from '../record/reading';
import type { AlarmSource } from '../signals/ports';
import type { EventLog } from './events';

export type PreflightResult = { ok: true } | { ok: false; reason: string; readings: GateReading[] };

/**
 * Blocks a release while a gating alarm is already firing, missing or unreadable: releasing into an
 * incident would blame the new version for the old one's trouble. An override needs a reason.
 */
export async function preflight(
  alarms: AlarmSource,
  gates: GatePolicy,
  now: number,
  log: EventLog,
  override?: string,
): Promise<PreflightResult> {
  const readings = await readAlarmGate(alarms, gates, { from: now, to: now });
  const blocking = readings.filter((reading) => reading.verdict !== 'pass');
  if (blocking.length === 0) {
    const checked =
      gates.alarms.length === 0 ? 'no gating alarms' : `${gates.alarms.length} gating alarms clear`;
    log.emit('preflight', `preflight passed: ${checked}`, { readings });
    return { ok: true };
  }
  const reason = blocking.map((reading) => `${reading.metric}: ${reading.reason}`).join('; ');
  const overridable = blocking.every((reading) => reading.verdict === 'fail');
  if (override && overridable) {
    log.emit('preflight', `preflight overridden (${override}) despite ${reason}`, { readings });
    return { ok: true };
  }
  return { ok: false, reason: `preflight blocked the release: ${reason}`, readings };
}
