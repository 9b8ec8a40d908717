/** Longest branch part of a pre-release: keeps the version well under the 128 characters an image tag allows. */
const MAX_SLUG = 40;

/** `refs/pull/<n>/merge` (and `/head`): what GitHub checks out for a pull request. */
const PULL_REF = /^refs\/pull\/(\d+)\/(?:merge|head)$/;

/** The branch name of a ref: `refs/heads/main` and `main` are both `main`. */
export function branchName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

/** Whether a build of this ref is a release: a build of the release branch itself. */
export function isReleaseRef(ref: string, releaseBranch: string): boolean {
  return branchName(ref) === branchName(releaseBranch);
}

/**
 * The ref as pre-release identifiers: `pr.<n>` for a pull request, otherwise the branch name in lower
 * case with every run of other characters as one `-` (`feature/Faster_Search` → `feature-faster-search`).
 * A slug of digits only gets a `branch-` prefix: semver forbids leading zeros in numeric identifiers,
 * and `1.2.0-42.3` would read as a numbered pre-release rather than a branch.
 */
export function refSlug(ref: string): string {
  const pull = PULL_REF.exec(ref);
  if (pull) return `pr.${Number(pull[1])}`;
  const slug = branchName(ref)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, '');
  if (slug === '') return 'branch';
  return /^\d+$/.test(slug) ? `branch-${slug}` : slug;
}
