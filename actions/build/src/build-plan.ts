import type { PlatformKind, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ActionInputError } from '../../runner/action-input-error';

/** What a workload's build produces: a Lambda zip, or one image pushed to each of its repositories. */
export type BuildPlan =
  | { readonly kind: 'zip' }
  | { readonly kind: 'image'; readonly repositories: readonly string[] };

const IMAGE_PLATFORMS: readonly PlatformKind[] = ['ecs', 'ecs-ec2', 'eks', 'apprunner'];

/**
 * The build a workload needs, from its platform in the manifest. A container workload's image goes to
 * the repository of every environment (in manifest order; one build, so one digest everywhere): the
 * deploy action's default artifact, `<imageRepository>:<version>`, then names it in any environment.
 */
export function buildPlan(manifest: ReleaseManifest, workload: string): BuildPlan {
  const entry = manifest.workloads[workload];
  if (!entry) throw new ActionInputError(`input "workload": "${workload}" is not in the release manifest`);
  if (entry.platform === 'lambda') return { kind: 'zip' };
  if (!IMAGE_PLATFORMS.includes(entry.platform)) {
    throw new ActionInputError(
      `input "workload": "${workload}" is a ${entry.platform} workload, which Tollgate does not release, so there is nothing to build; builds are for ${['lambda', ...IMAGE_PLATFORMS].join(', ')} workloads`,
    );
  }
  const repositories: string[] = [];
  for (const [environment, target] of Object.entries(entry.environments)) {
    const repository = 'imageRepository' in target ? target.imageRepository : undefined;
    if (!repository) {
      throw new ActionInputError(
        `input "workload": "${workload}" has no workloads.${workload}.environments.${environment}.imageRepository in the release manifest, so its image has nowhere to go`,
      );
    }
    if (!repositories.includes(repository)) repositories.push(repository);
  }
  return { kind: 'image', repositories };
}
