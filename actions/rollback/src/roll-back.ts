import { cancelOnSignals } from '@tollgate/pipelines/cli/cancellation';
import { rollbackDeps } from '@tollgate/pipelines/cli/rollback-command';
import { releaseArtifact } from '@tollgate/pipelines/inputs/artifact-input';
import {
  type ManualRollbackResult,
  PlatformUnreadableError,
  runManualRollback,
} from '@tollgate/pipelines/release/manual-rollback';
import { reportContext } from '@tollgate/pipelines/report/report-context';
import { openActionSession } from '../../runner/action-session';
import { type ActionLog, stepGroups } from '../../runner/step-groups';
import type { RollbackInputs } from './rollback-inputs';

/**
 * The rollback through the engine, with its events in the log and the job's cancellation honoured; a
 * platform that cannot be read (nothing moved, nothing recorded) comes back as that error.
 */
export async function rollBack(
  inputs: RollbackInputs,
  log: ActionLog & { warning(line: string): void },
): Promise<ManualRollbackResult | PlatformUnreadableError> {
  const { target } = inputs;
  const session = await openActionSession(target, inputs.toVersion ?? '', inputs.ledger);
  log.info(`backend ${session.name}: ${session.description}`);
  const groups = stepGroups(log);
  const cancellation = cancelOnSignals((message) => log.warning(message));
  const deps = rollbackDeps(session, inputs.reportDir, reportContext(target.environment), {
    onEvent: groups.onEvent,
    signal: cancellation.signal,
  });
  const request = {
    workload: target.workload,
    environment: target.environment,
    actor: inputs.actor,
    reason: inputs.reason,
    ...(inputs.toVersion ? { toVersion: inputs.toVersion } : {}),
    artifactFor: (version: string) => releaseArtifact(undefined, target.environment.target, version),
  };
  try {
    return await runManualRollback(request, deps);
  } catch (error) {
    if (error instanceof PlatformUnreadableError) return error;
    throw error;
  } finally {
    groups.close();
    cancellation.dispose();
    await session.close();
  }
}
