import semver from 'semver';
import { type Bump, largestBump } from './conventional-commit';

/** A workload's first release, when it has no `<workload>@x.y.z` tag yet. */
export const FIRST_VERSION = '0.1.0';

/** What the next version is computed from. */
export interface VersionHistory {
  /** The latest release reachable from the build, from its tag; undefined before the first. */
  readonly latest: string | undefined;
  /** Messages of the commits since that release (all of them before the first) that touch the workload. */
  readonly messages: readonly string[];
}

/** A build off the release branch: the pre-release identifiers that tell it apart. */
export interface PreRelease {
  /** From `refSlug`: `pr.12`, `feature-x`. */
  readonly slug: string;
}

/** The version and why it is that. */
export interface NextVersion {
  readonly version: string;
  readonly previous: string | undefined;
  /** The bump applied to `previous`; undefined for the first release and for no change. */
  readonly bump: Bump | undefined;
  /** How many commits since `previous` touch the workload. */
  readonly commits: number;
}

/**
 * Before 1.0.0 everything may change (semver §4), so a breaking change bumps the minor part and
 * never makes 1.0.0 by itself: going to 1.0.0 is a decision, made by tagging `<workload>@1.0.0`.
 */
function effectiveBump(latest: string, bump: Bump): Bump {
  return bump === 'major' && semver.major(latest) === 0 ? 'minor' : bump;
}

/**
 * The next release version of a workload. The first release is `0.1.0`, whatever its commits say.
 * No commit touching the workload since the last release: the same version (the sources are the
 * release's). Otherwise the largest bump of the commits, by `commitBump`, 0.x as `effectiveBump` says.
 * A build off the release branch gets `-<slug>.<commits>` (`1.4.0-pr.12.3`): below the release it leads to
 * in semver order, never with `+` (image tags refuse it); with no commit since the release it is the release.
 */
export function nextVersion(history: VersionHistory, preRelease?: PreRelease): NextVersion {
  const commits = history.messages.length;
  const bump = largestBump(history.messages);
  const base = history.latest;
  let version: string;
  let applied: Bump | undefined;
  if (base === undefined) {
    version = FIRST_VERSION;
  } else if (bump === undefined) {
    return { version: base, previous: base, bump: undefined, commits };
  } else {
    applied = effectiveBump(base, bump);
    version = semver.inc(base, applied) as string;
  }
  const full = preRelease ? `${version}-${preRelease.slug}.${commits}` : version;
  if (!semver.valid(full)) throw new Error(`computed version ${full} is not semver`);
  return { version: full, previous: base, bump: applied, commits };
}
