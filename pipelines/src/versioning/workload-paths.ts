import { defaultPolicyFile } from '../policy/load-policy';

/**
 * The paths whose commits change a workload's release: its own folder (sources, Dockerfile, manifests),
 * the code every workload bundles (`workloads/shared/`), and its release policy (how it is released is
 * part of what is released). The same rule as deploy.yml's (`scripts/workflows/changed-workloads.ts`):
 * a lockfile-only change releases nothing, so it does not move a version either.
 */
export function workloadPaths(workload: string): string[] {
  return [`workloads/${workload}/`, 'workloads/shared/', defaultPolicyFile(workload)];
}
