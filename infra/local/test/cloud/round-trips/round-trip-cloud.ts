import { fileURLToPath } from 'node:url';
import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import type { ReleaseManifest, ReleaseTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../src/local-cloud';

const MANIFEST = fileURLToPath(new URL('../../../../aws/release-manifest.json', import.meta.url));

/**
 * The fewest environments that give every service a resource: payments (Lambda, its CodeDeploy group, its
 * alarms, its X-Ray traces), auth (ECS-native canary), recommendations (EKS), product-search (App Runner).
 */
export const ROUND_TRIP_TARGETS = [
  { workload: 'payments', environment: 'production' },
  { workload: 'auth', environment: 'production' },
  { workload: 'recommendations', environment: 'production' },
  { workload: 'product-search', environment: 'production' },
] as const;

/** 10 cloud minutes a second: a canary interval, a bake or an App Runner update settles in real milliseconds. */
export const ROUND_TRIP_SCALE = 600;

export interface RoundTripWorld {
  cloud: LocalCloud;
  /** What every official client is built with. */
  config: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
  /** No cloud timestamp is earlier: the cloud's clock starts at the real time of its start. */
  origin: number;
  target<T extends ReleaseTarget>(workload: string): T;
}

/**
 * Production reads its traces from spans here (`traceSource: spans`): that is what makes the cloud create
 * `aws/spans`, the one log group the Logs operations query.
 */
export async function startRoundTripCloud(): Promise<RoundTripWorld> {
  const manifest = await loadManifestFile(MANIFEST);
  const production = manifest.environments.production;
  if (!production) throw new Error('the release manifest has no production environment');
  const spans: ReleaseManifest = {
    ...manifest,
    environments: { ...manifest.environments, production: { ...production, traceSource: 'spans' } },
  };
  const origin = Date.now();
  const cloud = await startLocalCloud({ manifest: spans, only: ROUND_TRIP_TARGETS, scale: ROUND_TRIP_SCALE });
  return {
    cloud,
    config: {
      endpoint: cloud.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCALCLOUD', secretAccessKey: 'local-cloud-secret' },
      maxAttempts: 1,
    },
    origin,
    target<T extends ReleaseTarget>(workload: string): T {
      const target = cloud.manifest.workloads[workload]?.environments.production;
      if (!target) throw new Error(`the round-trip cloud does not run ${workload} in production`);
      return target as T;
    },
  };
}

/** Reads until `done` holds, every 6 cloud seconds, at most `polls` times; fails naming what it waited for. */
export async function until<T>(
  world: RoundTripWorld,
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  polls = 400,
): Promise<T> {
  let last: T | undefined;
  for (let poll = 0; poll < polls; poll += 1) {
    last = await read();
    if (done(last)) return last;
    await world.cloud.clock.sleep(6_000);
  }
  throw new Error(`${what} did not happen within ${polls} polls; last read: ${JSON.stringify(last)}`);
}

/** The error a rejected call answered with: its name, HTTP status and message. */
export async function rejection(
  call: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> {
  let output: unknown;
  try {
    output = await call;
  } catch (error) {
    const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
    const status = $metadata?.httpStatusCode;
    return { name, message, ...(status === undefined ? {} : { status }) };
  }
  const { $metadata: _, ...answer } = output as Record<string, unknown>;
  throw new Error(
    `the service accepted the request and answered ${JSON.stringify(answer)}; it should have rejected it`,
  );
}

/** A timestamp member: a Date the SDK parsed, at cloud time between `from` and the cloud's now. */
export function expectCloudDate(world: RoundTripWorld, value: unknown, from = world.origin): void {
  expect(value).toBeInstanceOf(Date);
  const at = (value as Date).getTime();
  expect(at).toBeGreaterThanOrEqual(from);
  expect(at).toBeLessThanOrEqual(world.cloud.clock.now());
}
