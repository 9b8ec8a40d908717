import { headRef, readVersionHistory } from './git-history';
import { type NextVersion, nextVersion } from './next-version';
import { isReleaseRef, refSlug } from './ref-slug';
import { workloadPaths } from './workload-paths';

export interface WorkloadVersionQuery {
  /** A folder inside the repository's work tree. */
  readonly cwd: string;
  readonly workload: string;
  /** The branch whose builds are releases (`main`). */
  readonly releaseBranch: string;
  /** The ref being built (`GITHUB_REF`: `refs/heads/main`, `refs/pull/12/merge`); default HEAD's branch. */
  readonly ref?: string | undefined;
  /** Default `workloadPaths(workload)`. */
  readonly paths?: readonly string[];
}

/** The release version of one workload at HEAD, from its tags and the conventional commits since. */
export async function workloadVersion(query: WorkloadVersionQuery): Promise<NextVersion & { ref: string }> {
  const ref = query.ref ?? (await headRef(query.cwd));
  const history = await readVersionHistory({
    cwd: query.cwd,
    workload: query.workload,
    paths: query.paths ?? workloadPaths(query.workload),
  });
  const preRelease = isReleaseRef(ref, query.releaseBranch) ? undefined : { slug: refSlug(ref) };
  return { ...nextVersion(history, preRelease), ref };
}
