import type { LambdaTarget, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { INITIAL_RELEASE } from '../../provisioning/initial-release';
import type { LambdaService } from './lambda-service';

export interface ProvisionLambdaOptions {
  /** The deployment zip of a workload's handler (bundleLambdaZip, usually memoized by the caller). */
  code: (workload: string) => Promise<Uint8Array>;
  /** Variables besides RELEASE_VERSION a workload's function gets. */
  environment?: (workload: string) => Record<string, string>;
}

/**
 * Creates every Lambda target of the manifest, in both environments, as CloudFormation leaves it: the
 * function (named and accounted as in the manifest, running the workload's bundle as `index.handler`
 * with RELEASE_VERSION=1.0.0), version 1 published from it, and the target's alias on version 1.
 */
export async function provisionLambda(
  service: LambdaService,
  manifest: ReleaseManifest,
  options: ProvisionLambdaOptions,
): Promise<void> {
  for (const [workload, entry] of Object.entries(manifest.workloads)) {
    for (const target of Object.values(entry.environments)) {
      if (target.platform !== 'lambda') continue;
      await provisionFunction(service, workload, target, options);
    }
  }
}

async function provisionFunction(
  service: LambdaService,
  workload: string,
  target: LambdaTarget,
  options: ProvisionLambdaOptions,
): Promise<void> {
  const fn = service.createFunction({
    name: target.functionName,
    account: target.account,
    region: target.region,
    workload,
    code: await options.code(workload),
    handler: 'index.handler',
    environment: { ...options.environment?.(workload), RELEASE_VERSION: INITIAL_RELEASE },
    description: `SecureCart ${workload} (${target.environment})`,
  });
  const version = fn.publish({ description: `Tollgate release ${INITIAL_RELEASE}` }, fn.latest.lastModified);
  fn.putAlias({
    name: target.alias,
    functionVersion: version.version,
    description: 'Production traffic; its versions and weights belong to releases (Tollgate or CodeDeploy)',
    weights: {},
  });
}
