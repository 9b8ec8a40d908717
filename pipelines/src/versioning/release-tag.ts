import semver from 'semver';

/** The git tag of a workload's release: `<workload>@x.y.z`. */
export function releaseTag(workload: string, version: string): string {
  return `${workload}@${version}`;
}

/**
 * The version a tag names for this workload, or undefined: another workload's tag (`order-batch@1.0.0`
 * is not `order@…`), a version that is not semver, or a pre-release (`1.2.0-pr.3.1`: builds off the
 * release branch are never tagged as releases, and one that was must not become the base of the next).
 */
export function taggedVersion(tag: string, workload: string): string | undefined {
  const prefix = `${workload}@`;
  if (!tag.startsWith(prefix)) return undefined;
  const text = tag.slice(prefix.length);
  const parsed = semver.parse(text);
  if (!parsed || parsed.prerelease.length > 0 || parsed.build.length > 0 || parsed.version !== text) {
    return undefined;
  }
  return parsed.version;
}

/** The highest release among tags, by semver precedence (not by date or by string order). */
export function latestTaggedVersion(tags: readonly string[], workload: string): string | undefined {
  const versions = tags.flatMap((tag) => taggedVersion(tag, workload) ?? []);
  return semver.rsort(versions)[0];
}
