import { actorName, reasonText, releaseVersion } from '@tollgate/pipelines/inputs/release-inputs';
import { optionalInput, requiredInput } from '../../runner/inputs';
import { type LedgerInputs, readLedgerInputs } from '../../runner/ledger-inputs';
import { readTargetInputs, type TargetInputs } from '../../runner/target-inputs';

/** A rollback's inputs, validated before anything is read from the cloud. */
export interface RollbackInputs {
  target: TargetInputs;
  /** None: the release before the one live now, from the ledger. */
  toVersion?: string;
  reason: string;
  actor: string;
  ledger: LedgerInputs;
  reportDir: string;
}

export async function readRollbackInputs(env: NodeJS.ProcessEnv = process.env): Promise<RollbackInputs> {
  const target = await readTargetInputs();
  const reason = reasonText(
    requiredInput('reason', 'why the rollback is done (it is recorded)'),
    'input "reason"',
  );
  const toText = optionalInput('to-version');
  const format = target.policy.policy.versionFormat;
  return {
    target,
    ...(toText ? { toVersion: releaseVersion(toText, format, 'input "to-version"') } : {}),
    reason,
    actor: actorName(env.GITHUB_ACTOR ?? 'github-actions', 'GITHUB_ACTOR'),
    ledger: readLedgerInputs(env),
    reportDir: optionalInput('report-dir') ?? '.tollgate/reports',
  };
}
