import { awsSettings } from '../aws/settings';
import type { Ledger } from '../ledger/ledger';
import type { TraceSourceKind } from '../signals/trace-source-for';
import { ScaledClock, type TimeScale } from '../time/scaled-clock';
import { awsSession } from './aws-backend';
import type { BackendSession, BackendTarget } from './backend';

/** Where `npm run local-cloud` listens unless told otherwise. */
export const LOCAL_CLOUD_DEFAULT_URL = 'http://127.0.0.1:4599';

/**
 * The local cloud takes any signed request; these keep the SDK from searching for real credentials (and
 * from ever using them against it).
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'LOCALCLOUDKEY', secretAccessKey: 'local-cloud-secret' };

export interface LocalBackendOptions {
  ledgerFile: string;
  /** Another ledger (GitHub Deployments, in a workflow) instead of the file. */
  ledger?: Ledger;
  traceSource?: TraceSourceKind;
  /** AWS_ENDPOINT_URL names the local cloud (default LOCAL_CLOUD_DEFAULT_URL). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The `local` backend: exactly the `aws` backend's adapters and SDK clients, pointed at the project's
 * local cloud, on the local cloud's scaled clock so that the engine's bakes and polls run at the speed
 * the cloud's deployments, alarms and traces do.
 */
export async function openLocalBackend(
  target: BackendTarget,
  options: LocalBackendOptions,
): Promise<BackendSession> {
  const env = options.env ?? process.env;
  const endpoint = env.AWS_ENDPOINT_URL ?? LOCAL_CLOUD_DEFAULT_URL;
  const timeScale = await readCloudClock(endpoint);
  const settings = {
    ...awsSettings(target.environment.target.region, { ...env, AWS_ENDPOINT_URL: endpoint }),
  };
  settings.credentials = LOCAL_CREDENTIALS;
  const traceSource = options.traceSource ?? 'xray';
  return awsSession(target, {
    ...options,
    env,
    settings,
    clock: new ScaledClock(timeScale),
    name: 'local',
    description:
      `the local cloud at ${endpoint} (time ×${timeScale.scale}), ${target.environment.capabilities.method}, ` +
      `traces from ${traceSource === 'xray' ? 'X-Ray' : 'Transaction Search spans'}`,
  });
}

/** The local cloud's time scale, from its control API; a clear error when nothing answers there. */
export async function readCloudClock(endpoint: string): Promise<TimeScale> {
  const url = new URL('/_tollgate/clock', endpoint);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new Error(
      `no local cloud answers at ${endpoint} (${(error as Error).message}); start it with \`npm run local-cloud\` or set AWS_ENDPOINT_URL to where it runs`,
    );
  }
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}: is ${endpoint} the local cloud?`);
  }
  return parseTimeScale(await response.json(), url.href);
}

function parseTimeScale(body: unknown, from: string): TimeScale {
  const value = body as Partial<Record<keyof TimeScale, unknown>>;
  const numbers = [value.cloudOrigin, value.realOrigin, value.scale];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new Error(`${from} did not answer a time scale ({ cloudOrigin, realOrigin, scale })`);
  }
  return { cloudOrigin: value.cloudOrigin, realOrigin: value.realOrigin, scale: value.scale } as TimeScale;
}
