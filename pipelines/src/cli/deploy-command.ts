import { reasonText } from '../inputs/release-inputs';
import { runRelease } from '../release/run-release';
import type { Output } from './output';
import { openSession, runInSession, type SessionOptions } from './release-session';

export interface DeployOptions extends SessionOptions {
  overrideAlarms?: string;
}

/** Releases a version through the engine on the chosen backend. */
export async function deployCommand(options: DeployOptions, out: Output): Promise<number> {
  const prepared = await openSession(options);
  const request = { ...prepared.request };
  if (options.overrideAlarms !== undefined) {
    request.alarmOverride = reasonText(options.overrideAlarms, '--override-alarms');
  }
  return runInSession(prepared, options, out, (deps) => runRelease(request, deps));
}
