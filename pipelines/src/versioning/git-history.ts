import { git } from './git';
import { GitError } from './git-error';
import type { VersionHistory } from './next-version';
import { latestTaggedVersion, releaseTag } from './release-tag';

/** Where to read a workload's history: the repository and the paths whose changes are the workload's. */
export interface HistoryQuery {
  /** A folder inside the git work tree; paths are relative to the repository's top level. */
  readonly cwd: string;
  readonly workload: string;
  /** Paths (folders end with `/`) whose commits change the workload: `workloadPaths(workload)`. */
  readonly paths: readonly string[];
}

/**
 * The workload's latest release reachable from HEAD (its `<workload>@x.y.z` tags, semver-sorted) and
 * the messages of the non-merge commits since then that touch its paths. A shallow checkout is refused:
 * its tags and commits are missing, and a version computed from it would be wrong without a sign.
 */
export async function readVersionHistory(query: HistoryQuery): Promise<VersionHistory> {
  const top = (await git(query.cwd, ['rev-parse', '--show-toplevel'])).trim();
  if ((await git(top, ['rev-parse', '--is-shallow-repository'])).trim() === 'true') {
    throw new GitError(
      `the checkout at ${top} is shallow: the release version needs every tag and commit (actions/checkout with fetch-depth: 0)`,
    );
  }
  const tags = (await git(top, ['tag', '--list', `${query.workload}@*`, '--merged', 'HEAD']))
    .split('\n')
    .filter((tag) => tag !== '');
  const latest = latestTaggedVersion(tags, query.workload);
  const range = latest === undefined ? 'HEAD' : `refs/tags/${releaseTag(query.workload, latest)}..HEAD`;
  const log = await git(top, ['log', '--no-merges', '-z', '--format=%B', range, '--', ...query.paths]);
  const messages = log
    .split('\0')
    .map((message) => message.trim())
    .filter((message) => message !== '');
  return { latest, messages };
}

/** The ref being built when the CI does not say (GITHUB_REF): HEAD's branch, refused when detached. */
export async function headRef(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ['symbolic-ref', '--quiet', 'HEAD'])).trim();
  } catch {
    throw new GitError(
      `HEAD in ${cwd} is not on a branch and GITHUB_REF is not set: cannot tell a release build from a pre-release`,
    );
  }
}
