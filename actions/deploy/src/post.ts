import * as core from '@actions/core';
import { settleInterrupted } from '@tollgate/pipelines/release/settle-interrupted';
import { openActionSession } from '../../runner/action-session';
import { runAction } from '../../runner/run-action';
import { readDeployInputs } from './deploy-inputs';
import { RELEASE_ENDED, RELEASE_STARTED } from './release-state';

/**
 * The deploy action's post step, which the runner runs even when the job was cancelled or timed out:
 * a release that started and did not end is settled (rolled back, its record closed), never left split.
 */
await runAction(async () => {
  if (core.getState(RELEASE_STARTED) !== 'true') {
    core.info('tollgate: no release was started; nothing to settle');
    return;
  }
  if (core.getState(RELEASE_ENDED) === 'true') {
    core.info('tollgate: the release ended in the main step; nothing to settle');
    return;
  }
  const inputs = await readDeployInputs();
  const { target } = inputs;
  const session = await openActionSession(target, inputs.version, inputs.ledger);
  const why = `the deploy step of ${target.workload} ${inputs.version} stopped before the release ended (job cancelled or timed out)`;
  const settled = await settleInterrupted(
    { workload: target.workload, environment: target.environmentName },
    { ...session, onEvent: (event) => core.info(`${event.type}: ${event.message}`) },
    why,
  ).finally(() => session.close());
  for (const problem of settled.problems) core.warning(problem);
  core.setOutput('outcome', settled.action === 'nothing' ? 'abandoned' : settled.action);
  if (settled.action === 'failed') core.setFailed(`tollgate: ${settled.traffic}`);
  else
    core.info(
      `tollgate: ${settled.action === 'nothing' ? 'nothing was in flight' : 'rolled back'}; traffic: ${settled.traffic}; closed ${settled.closed.length} open record(s)`,
    );
});
