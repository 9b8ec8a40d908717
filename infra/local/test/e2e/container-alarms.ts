import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { ReleaseWorld } from './release-world';

export interface AlarmWait {
  /** Wait for this state of every alarm; by default any state but INSUFFICIENT_DATA (evaluated once). */
  state?: 'OK';
  /** Also wait until cloud time has reached this instant (ms since the epoch). */
  notBefore?: number;
  /** Real ms (default 30 s). */
  withinMs?: number;
}

/**
 * Waits until CloudWatch has evaluated each of `alarmNames` (no longer INSUFFICIENT_DATA, the state an alarm
 * is created in; or OK, when asked), as an operator would before releasing: a cloud started a moment ago
 * has alarms that have not seen a full period yet, and workloads still warming up. Polls DescribeAlarms every
 * 100 real ms.
 */
export async function alarmsEvaluated(
  world: ReleaseWorld,
  alarmNames: readonly string[],
  wait: AlarmWait = {},
): Promise<void> {
  const cloudWatch = new CloudWatchClient(world.aws);
  const withinMs = wait.withinMs ?? 30_000;
  const deadline = Date.now() + withinMs;
  const settled = (state: string | undefined) =>
    wait.state ? state === wait.state : state !== undefined && state !== 'INSUFFICIENT_DATA';
  for (;;) {
    const { MetricAlarms } = await cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [...alarmNames] }),
    );
    const state = (name: string) => MetricAlarms?.find((alarm) => alarm.AlarmName === name)?.StateValue;
    const pending = alarmNames.filter((name) => !settled(state(name)));
    if (pending.length === 0 && world.cloud.clock.now() >= (wait.notBefore ?? 0)) return;
    if (Date.now() >= deadline) {
      const standing = pending.map((name) => `${name} ${state(name) ?? 'missing'}`).join(', ');
      throw new Error(`alarms not ${wait.state ?? 'evaluated'} after ${withinMs} ms: ${standing || 'none'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
