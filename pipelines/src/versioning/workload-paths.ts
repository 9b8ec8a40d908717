/**
 * The paths whose commits change a workload's release: its own folder (sources, Dockerfile, manifests),
 * the code every workload bundles (`workloads/shared/`), the lockfile (dependency versions end up in
 * the bundle), and its release policy (how it is released is part of what is released).
 */
export function workloadPaths(workload: string): string[] {
  return [
    `workloads/${workload}/`,
    'workloads/shared/',
    'package-lock.json',
    `pipelines/policies/${workload}.yml`,
  ];
}
