import { formatPlan, plannedDuration, planSteps } from '../plan/plan';
import { loadPolicyFile } from '../policy/load-policy';
import { formatDuration } from '../policy/quantities';
import { InputError } from '../release/input-error';
import type { Output } from './output';

export interface PlanOptions {
  policy: string;
  env: string;
}

/** Prints the steps a release of this environment would take, before anything moves. */
export async function planCommand(options: PlanOptions, out: Output): Promise<number> {
  const policy = await loadPolicyFile(options.policy);
  const env = policy.environments[options.env];
  if (!env) {
    const known = Object.keys(policy.environments).join(', ');
    throw new InputError(`unknown environment "${options.env}" in ${options.policy}; known: ${known}`);
  }
  const steps = planSteps(env.strategy);
  const strategy = typeof env.strategy === 'string' ? env.strategy : 'custom steps';
  out.log(`${policy.workload} (${policy.platform}) → ${options.env}: ${strategy}`);
  for (const line of formatPlan(steps)) out.log(`  ${line}`);
  out.log(`planned duration: ${formatDuration(plannedDuration(steps))} if every gate is conclusive on time`);
  return 0;
}
