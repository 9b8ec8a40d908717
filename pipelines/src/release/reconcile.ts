import { describeTraffic, type Platform, type TrafficState } from '../platforms/port';
import type { EventLog } from './events';

/**
 * Finishes what an interrupted release left behind before anything new happens: a canary of the
 * version being released is resumed at its current weight; any other canary is rolled back.
 * Returns the traffic as it stands afterwards.
 */
export async function reconcile(platform: Platform, version: string, log: EventLog): Promise<TrafficState> {
  const state = await platform.current();
  if (!state.canary) return state;
  if (state.canary === version) {
    const message = `found ${describeTraffic(state)} from an interrupted release of ${version}; resuming at ${state.canaryWeight}%`;
    log.emit('reconcile', message, { weight: state.canaryWeight });
    return state;
  }
  const message = `found ${describeTraffic(state)} left by an interrupted release; rolling ${state.canary} back before releasing ${version}`;
  log.emit('reconcile', message, { weight: state.canaryWeight });
  await platform.rollback();
  const after = await platform.current();
  log.emit('rollback', `reconciled: ${describeTraffic(after)}`, { weight: 0 });
  return after;
}
