import { artifactSource, releaseArtifact } from '@tollgate/pipelines/inputs/artifact-input';
import { actorName, reasonText, releaseVersion } from '@tollgate/pipelines/inputs/release-inputs';
import type { ArtifactSource } from '@tollgate/pipelines/platforms/port';
import { optionalInput, requiredInput } from '../../runner/inputs';
import { type LedgerInputs, readLedgerInputs } from '../../runner/ledger-inputs';
import { readTargetInputs, type TargetInputs } from '../../runner/target-inputs';

/** Everything one deploy step needs, validated once; the post step gets the same from GITHUB_STATE. */
export interface DeployInputs {
  target: TargetInputs;
  version: string;
  /** The one given, else a container target's image `<imageRepository>:<version>`. */
  artifact?: ArtifactSource;
  overrideAlarms?: string;
  actor: string;
  ledger: LedgerInputs;
  reportDir: string;
}

export async function readDeployInputs(env: NodeJS.ProcessEnv = process.env): Promise<DeployInputs> {
  const target = await readTargetInputs();
  const versionText = requiredInput('version', 'the release version, for example 1.4.0');
  const version = releaseVersion(versionText, target.policy.policy.versionFormat, 'input "version"');
  const artifactText = optionalInput('artifact');
  const artifact = artifactText
    ? artifactSource(artifactText, 'input "artifact"')
    : releaseArtifact(undefined, target.environment.target, version);
  const override = optionalInput('override-alarms');
  return {
    target,
    version,
    ...(artifact ? { artifact } : {}),
    ...(override ? { overrideAlarms: reasonText(override, 'input "override-alarms"') } : {}),
    actor: actorName(env.GITHUB_ACTOR ?? 'github-actions', 'GITHUB_ACTOR'),
    ledger: readLedgerInputs(env),
    reportDir: optionalInput('report-dir') ?? '.tollgate/reports',
  };
}
