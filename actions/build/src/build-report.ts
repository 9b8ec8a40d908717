import { setOutput, summary } from '@actions/core';
import type { NextVersion } from '@tollgate/pipelines/versioning/next-version';
import type { BuiltArtifact } from './build-artifact';

/** Why the version is what it is, in a few words: "minor bump from 1.3.0, 4 commits". */
export function versionReason(version: NextVersion): string {
  const commits = `${version.commits} commit${version.commits === 1 ? '' : 's'}`;
  if (version.previous === undefined) return `first release, ${commits}`;
  if (version.bump === undefined) return `no change since ${version.previous}`;
  return `${version.bump} bump from ${version.previous}, ${commits}`;
}

/** The one summary line of a build. */
export function summaryLine(workload: string, version: NextVersion, built: BuiltArtifact): string {
  const check = built.digest ? `digest \`${built.digest}\`` : `sha256 \`${built.sha256}\``;
  return `Built **${workload}** \`${version.version}\` (${versionReason(version)}): \`${built.artifact}\`, ${check}`;
}

/** Sets the four outputs of action.yml and writes the summary line. */
export async function reportBuild(
  workload: string,
  version: NextVersion,
  built: BuiltArtifact,
): Promise<void> {
  setOutput('version', version.version);
  setOutput('artifact', built.artifact);
  setOutput('sha256', built.sha256);
  setOutput('digest', built.digest);
  await summary.addRaw(summaryLine(workload, version, built), true).write();
}
