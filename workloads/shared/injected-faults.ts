/**
 * Faults a version acts out in its own request path, so that its own traces, logs and metrics measure
 * them: only the local cloud sets SECURECART_INJECTED_FAULTS (a JSON object), to show a slower, failing
 * or crashing release being caught; in AWS it is never set and nothing here runs.
 */
export interface InjectedFaults {
  /** Added to every request, in milliseconds. */
  addedLatencyMs?: number;
  /** This share of requests (0–1) takes `tailLatencyMs` more: a heavier tail. */
  tailShare?: number;
  tailLatencyMs?: number;
  /** Share of requests (0–1) that fail as an unexpected error would. */
  errorRate?: number;
  /** The process refuses to start. */
  crashOnStart?: boolean;
}

export const INJECTED_FAULTS_VARIABLE = 'SECURECART_INJECTED_FAULTS';

/** The faults this process was started with; none when the variable is unset. A malformed value is an error. */
export function injectedFaults(env: NodeJS.ProcessEnv = process.env): InjectedFaults | undefined {
  const text = env[INJECTED_FAULTS_VARIABLE];
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${INJECTED_FAULTS_VARIABLE} is not JSON: ${text}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${INJECTED_FAULTS_VARIABLE} must be a JSON object, not ${text}`);
  }
  const faults = value as InjectedFaults;
  for (const share of [faults.tailShare, faults.errorRate]) {
    if (share !== undefined && !(share >= 0 && share <= 1)) {
      throw new Error(`${INJECTED_FAULTS_VARIABLE}: shares are from 0 to 1, not ${share}`);
    }
  }
  return faults;
}

export class InjectedFaultError extends Error {
  constructor() {
    super('injected fault');
    this.name = 'InjectedFaultError';
  }
}

/** Delays the request as the faults say, then fails it at their error rate. */
export async function actOut(
  faults: InjectedFaults | undefined,
  random: () => number = Math.random,
): Promise<void> {
  if (!faults) return;
  const tail =
    faults.tailShare !== undefined && random() < faults.tailShare ? (faults.tailLatencyMs ?? 0) : 0;
  const delay = (faults.addedLatencyMs ?? 0) + tail;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (faults.errorRate !== undefined && random() < faults.errorRate) throw new InjectedFaultError();
}

/** Throws when the process was told to crash on start. */
export function refuseToStartIfTold(faults: InjectedFaults | undefined): void {
  if (faults?.crashOnStart) throw new Error(`${INJECTED_FAULTS_VARIABLE}: this version crashes on start`);
}
