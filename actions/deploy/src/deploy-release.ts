import { cancelOnSignals } from '@tollgate/pipelines/cli/cancellation';
import type { ReleaseRequest } from '@tollgate/pipelines/release/context';
import type { ReleaseResult } from '@tollgate/pipelines/release/ledger-sync';
import { runRelease } from '@tollgate/pipelines/release/run-release';
import { reportContext } from '@tollgate/pipelines/report/report-context';
import { writeReports } from '@tollgate/pipelines/report/write-reports';
import { openActionSession } from '../../runner/action-session';
import { readEnvironmentReviews } from '../../runner/environment-reviews';
import { type ActionLog, stepGroups } from '../../runner/step-groups';
import type { DeployInputs } from './deploy-inputs';

/**
 * One release through the engine, as `tollgate deploy` runs it: live progress in step groups, the job's
 * cancellation (SIGINT, then SIGTERM from the runner) rolling the release back, the reports written
 * to `reportDir` (saying who approved the run's environments, with the GitHub ledger).
 */
export async function deployRelease(
  inputs: DeployInputs,
  log: ActionLog & { warning(line: string): void },
): Promise<ReleaseResult> {
  const { target } = inputs;
  const session = await openActionSession(target, inputs.version, inputs.ledger);
  log.info(`backend ${session.name}: ${session.description}`);
  const request: ReleaseRequest = {
    workload: target.workload,
    environment: target.environment,
    version: inputs.version,
    actor: inputs.actor,
    ...(inputs.artifact ? { artifact: inputs.artifact } : {}),
    ...(inputs.overrideAlarms ? { alarmOverride: inputs.overrideAlarms } : {}),
  };
  const context = {
    ...reportContext(target.environment),
    ...(inputs.ledger.kind === 'github'
      ? { environmentReviews: await readEnvironmentReviews(inputs.ledger, log.warning) }
      : {}),
  };
  const groups = stepGroups(log);
  const cancellation = cancelOnSignals((message) => log.warning(message));
  try {
    return await runRelease(request, {
      platform: session.platform,
      signals: session.signals,
      clock: session.clock,
      ledger: session.ledger,
      backend: session.name,
      onEvent: groups.onEvent,
      signal: cancellation.signal,
      publish: (record) => writeReports(record, inputs.reportDir, context),
    });
  } finally {
    groups.close();
    cancellation.dispose();
    await session.close();
  }
}
