import { DEFAULT_MANIFEST } from '@tollgate/pipelines/targets/load-manifest';
import { DEFAULT_SCALE } from '../local-cloud';
import { parseTargetRefs, type TargetRef } from '../provisioning/target-selection';

export const USAGE =
  'usage: npm run local-cloud -- [--port 4599] [--scale 60] [--rps 50] [--only payments/production,auth/staging] [--manifest <file>]';

export interface CloudFlags {
  port: number;
  scale: number;
  rps: number;
  manifest: string;
  only: { only?: TargetRef[] };
}

/** The flags of `npm run local-cloud`, each checked; an error names the flag and what it takes. */
export function parseCloudFlags(
  values: Partial<Record<'port' | 'scale' | 'only' | 'rps' | 'manifest', string>>,
): CloudFlags {
  const port = number(
    values.port ?? '4599',
    '--port',
    (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
    'a port, 0-65535',
  );
  const scale = number(
    values.scale ?? String(DEFAULT_SCALE),
    '--scale',
    (n) => n >= 1 && n <= 3600,
    'from 1 to 3600',
  );
  const rps = number(
    values.rps ?? '50',
    '--rps',
    (n) => n >= 0 && n <= 1000,
    'requests per second from 0 to 1000',
  );
  const only = values.only === undefined ? {} : { only: refs(values.only) };
  return { port, scale, rps, only, manifest: values.manifest ?? DEFAULT_MANIFEST };
}

function number(text: string, flag: string, ok: (n: number) => boolean, allowed: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`${flag} "${text}" is not ${allowed}`);
  }
  return value;
}

function refs(text: string): TargetRef[] {
  try {
    return parseTargetRefs(text);
  } catch (error) {
    throw new Error(`--only: ${(error as Error).message}`);
  }
}
