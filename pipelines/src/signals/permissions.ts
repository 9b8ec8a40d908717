import { PERMISSIONS as ALARMS } from './cloudwatch-alarms';
import { PERMISSIONS as SPANS } from './span-traces';
import { PERMISSIONS as XRAY } from './xray-traces';

/**
 * Every IAM action the signal adapters send, for docs and the deploy roles. A release needs the alarm
 * actions and those of the one trace source it reads (`xray` or `spans`).
 */
export const PERMISSIONS: readonly { action: string; resource: string; why: string }[] = [
  ...ALARMS,
  ...XRAY,
  ...SPANS,
];
