import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';

/** One workload in one environment, as `--only payments/production` names it. */
export interface TargetRef {
  workload: string;
  environment: string;
}

/** Platforms the local cloud runs; the manifest's others (Step Functions, ECS on EC2) it leaves out. */
export const LOCAL_PLATFORMS = ['lambda', 'ecs', 'eks', 'apprunner'] as const;

/** Workloads whose own code needs AWS services the local cloud does not serve, and which ones. */
export const NEEDS_UNSERVED_SERVICES: Readonly<Record<string, string>> = {
  checkout: 'the order API (API Gateway in front of order-processing)',
  'order-processing': 'Step Functions and EventBridge',
  'fraud-detection': 'a DynamoDB table',
  'inventory-sync': 'an SNS topic and a DynamoDB stream',
};

/**
 * The manifest narrowed to the targets the local cloud is to run: every target of a platform it serves
 * whose workload needs nothing it does not serve, or exactly those named. Names are the manifest's; an
 * unknown or unrunnable one is an error naming what exists or what is missing.
 */
export function selectTargets(manifest: ReleaseManifest, only?: readonly TargetRef[]): ReleaseManifest {
  const served = (platform: string) => (LOCAL_PLATFORMS as readonly string[]).includes(platform);
  const runnable = (workload: string, platform: string) =>
    served(platform) && !NEEDS_UNSERVED_SERVICES[workload];
  for (const ref of only ?? []) checkRef(manifest, ref, served);
  const wanted = (workload: string, environment: string) =>
    !only || only.some((ref) => ref.workload === workload && ref.environment === environment);
  const workloads: ReleaseManifest['workloads'] = {};
  for (const [workload, entry] of Object.entries(manifest.workloads)) {
    if (!runnable(workload, entry.platform)) continue;
    const environments = Object.fromEntries(
      Object.entries(entry.environments).filter(([environment]) => wanted(workload, environment)),
    );
    if (Object.keys(environments).length > 0) workloads[workload] = { ...entry, environments };
  }
  return { ...manifest, workloads };
}

/** `payments/production,auth/staging` → target refs; a malformed entry names itself. */
export function parseTargetRefs(text: string): TargetRef[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [workload, environment, ...rest] = part.split('/');
      if (!workload || !environment || rest.length > 0) {
        throw new Error(`"${part}" is not <workload>/<environment> (e.g. payments/production)`);
      }
      return { workload, environment };
    });
}

function checkRef(manifest: ReleaseManifest, ref: TargetRef, served: (platform: string) => boolean): void {
  const entry = manifest.workloads[ref.workload];
  if (!entry) {
    const known = Object.keys(manifest.workloads).filter((w) =>
      served(manifest.workloads[w]?.platform ?? ''),
    );
    throw new Error(`no workload "${ref.workload}" in the release manifest; it has ${known.join(', ')}`);
  }
  if (!served(entry.platform)) {
    throw new Error(
      `${ref.workload} runs on ${entry.platform}, which the local cloud does not serve (it serves ${LOCAL_PLATFORMS.join(', ')})`,
    );
  }
  const needs = NEEDS_UNSERVED_SERVICES[ref.workload];
  if (needs) throw new Error(`${ref.workload} needs ${needs}, which the local cloud does not serve`);
  if (!entry.environments[ref.environment]) {
    throw new Error(
      `${ref.workload} has no environment "${ref.environment}"; it has ${Object.keys(entry.environments).join(', ')}`,
    );
  }
}
