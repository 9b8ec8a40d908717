import { errorText } from '../errors/error-text';
import type { GateReading } from '../record/reading';
import { type AlarmSource, type AlarmStatus, UnknownAlarmError } from '../signals/ports';

export interface AlarmGatePolicy {
  alarms: readonly string[];
  alarmInsufficientData: 'report' | 'block';
}

/**
 * Reads the gating alarms. ALARM fails; INSUFFICIENT_DATA is reported and, when the policy says
 * `block`, holds the step as inconclusive. A read that fails is one `error` reading, never a pass.
 */
export async function readAlarmGate(
  source: AlarmSource,
  policy: AlarmGatePolicy,
  window: GateReading['window'],
): Promise<GateReading[]> {
  if (policy.alarms.length === 0) return [];
  try {
    const states = await source.states(policy.alarms);
    return states.map((status) => alarmReading(status, policy, window));
  } catch (error) {
    const missing = error instanceof UnknownAlarmError ? error.missing : undefined;
    const metric = (missing ?? policy.alarms).join(', ');
    const reason = missing
      ? `no such alarm${missing.length > 1 ? 's' : ''} (a typo, or another account or Region?)`
      : `could not be read: ${errorText(error)}`;
    return [{ gate: 'alarm', metric, verdict: 'error', reason, at: window.to, window }];
  }
}

function alarmReading(
  status: AlarmStatus,
  policy: AlarmGatePolicy,
  window: GateReading['window'],
): GateReading {
  const base = { gate: 'alarm' as const, metric: status.name, unit: 'state' as const, state: status.state };
  const at = window.to;
  switch (status.state) {
    case 'ALARM':
      return { ...base, at, window, verdict: 'fail', reason: `in ALARM: ${status.reason}` };
    case 'INSUFFICIENT_DATA': {
      const blocks = policy.alarmInsufficientData === 'block';
      const verdict = blocks ? 'inconclusive' : 'pass';
      const note = blocks
        ? 'blocks until it has data (policy: block)'
        : 'reported, not blocking (policy: report)';
      return { ...base, at, window, verdict, reason: `INSUFFICIENT_DATA, ${note}` };
    }
    case 'OK':
      return { ...base, at, window, verdict: 'pass', reason: 'OK' };
  }
}
