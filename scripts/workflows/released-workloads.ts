import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { POLICIES_DIR } from '@tollgate/pipelines/policy/load-policy';
import { DEFAULT_MANIFEST, loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import type { PlatformKind, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { REPOSITORY_ROOT } from './workflow-document';

/** Where the release manifest and the policies are, relative to the repository root. */

/** A workload Tollgate releases: in the release manifest, with a policy. */
export interface ReleasedWorkload {
  readonly workload: string;
  readonly platform: PlatformKind;
  /** Whether it ships as an image: some target of it has an ECR repository to push to. */
  readonly container: boolean;
}

/**
 * The workloads Tollgate releases, sorted by name: those of the manifest with a policy
 * `<workload>.yml` among `policyFiles`. The rest (fulfillment, inventory-sync, order-batch for
 * SecureCart) are released by their own platform, not by these workflows.
 */
export function releasedWorkloads(
  manifest: ReleaseManifest,
  policyFiles: readonly string[],
): ReleasedWorkload[] {
  return Object.entries(manifest.workloads)
    .filter(([workload]) => policyFiles.includes(`${workload}.yml`))
    .map(([workload, entry]) => ({
      workload,
      platform: entry.platform,
      container: Object.values(entry.environments).some((target) => 'imageRepository' in target),
    }))
    .sort((a, b) => a.workload.localeCompare(b.workload));
}

/** The repository's manifest and its released workloads. */
export async function loadReleasedWorkloads(
  root = REPOSITORY_ROOT,
): Promise<{ manifest: ReleaseManifest; released: ReleasedWorkload[] }> {
  const manifest = await loadManifestFile(path.join(root, DEFAULT_MANIFEST));
  const policyFiles = readdirSync(path.join(root, POLICIES_DIR)).filter((file) => file.endsWith('.yml'));
  return { manifest, released: releasedWorkloads(manifest, policyFiles) };
}
