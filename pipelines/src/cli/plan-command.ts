import { describeShape, formatPlan, plannedDuration } from '../plan/plan';
import { environmentOf, loadPolicyFile } from '../policy/load-policy';
import { describeCapabilities } from '../targets/capabilities';
import { loadManifestFile } from '../targets/load-manifest';
import { formatDuration } from '../time/duration';
import type { Output } from './output';

export interface PlanOptions {
  policy: string;
  env: string;
  manifest: string;
}

/** Prints the target, how it can be released, and the steps a release would take, before anything moves. */
export async function planCommand(options: PlanOptions, out: Output): Promise<number> {
  const manifest = await loadManifestFile(options.manifest);
  const loaded = await loadPolicyFile(options.policy, manifest);
  const environment = environmentOf(loaded, options.env);
  const { target, capabilities, strategy, steps } = environment;
  const name = strategy.codeDeployConfig ?? describeShape(strategy.shape);
  out.log(`${loaded.policy.workload} → ${options.env}: ${name}`);
  out.log(`target: ${target.platform} in ${target.account}/${target.region}, stack ${target.stack}`);
  for (const line of describeCapabilities(capabilities)) out.log(`  ${line}`);
  out.log('plan:');
  for (const line of formatPlan(steps)) out.log(`  ${line}`);
  out.log(`planned duration: ${formatDuration(plannedDuration(steps))} if every gate is conclusive on time`);
  return 0;
}
