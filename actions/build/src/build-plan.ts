import type { PlatformKind, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ActionInputError } from '../../runner/action-input-error';

/** What a workload's build produces: a Lambda zip, or one image pushed to each of its repositories. */
export type BuildPlan =
  | { readonly kind: 'zip' }
  | { readonly kind: 'image'; readonly repositories: readonly string[] };

const IMAGE_PLATFORMS: readonly PlatformKind[] = ['ecs', 'ecs-ec2', 'eks', 'apprunner'];

/**
 * The build a workload needs, from its platform in the manifest. A container workload's image goes to
 * the repository of `environment`, or of every environment (in manifest order; one build, so one digest
 * everywhere) when none is named: the deploy action's default artifact, `<imageRepository>:<version>`,
 * then names it there. Per-environment build roles can push only to their own account's repository.
 */
export function buildPlan(manifest: ReleaseManifest, workload: string, environment?: string): BuildPlan {
  const entry = manifest.workloads[workload];
  if (!entry) throw new ActionInputError(`input "workload": "${workload}" is not in the release manifest`);
  if (entry.platform === 'lambda') return { kind: 'zip' };
  if (!IMAGE_PLATFORMS.includes(entry.platform)) {
    throw new ActionInputError(
      `input "workload": "${workload}" is a ${entry.platform} workload, which Tollgate does not release, so there is nothing to build; builds are for ${['lambda', ...IMAGE_PLATFORMS].join(', ')} workloads`,
    );
  }
  const repositories: string[] = [];
  for (const [name, target] of environmentsOf(entry.environments, workload, environment)) {
    const repository = 'imageRepository' in target ? target.imageRepository : undefined;
    if (!repository) {
      throw new ActionInputError(
        `input "workload": "${workload}" has no workloads.${workload}.environments.${name}.imageRepository in the release manifest, so its image has nowhere to go`,
      );
    }
    if (!repositories.includes(repository)) repositories.push(repository);
  }
  return { kind: 'image', repositories };
}

function environmentsOf<T>(
  environments: Record<string, T>,
  workload: string,
  environment: string | undefined,
): [string, T][] {
  const all = Object.entries(environments);
  if (environment === undefined) return all;
  const named = all.filter(([name]) => name === environment);
  if (named.length === 0) {
    const known = all.map(([name]) => `"${name}"`).join(', ');
    throw new ActionInputError(`input "environment" is "${environment}"; ${workload} has: ${known}`);
  }
  return named;
}
