import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { cancelOnSignals } from '@tollgate/pipelines/cli/cancellation';
import { gateDeps, gateWindow } from '@tollgate/pipelines/cli/gate-command';
import { watchGates } from '@tollgate/pipelines/release/gate-watch';
import { writeGateReports } from '@tollgate/pipelines/report/gate-report';
import { openActionSession } from '../../runner/action-session';
import { optionalInput } from '../../runner/inputs';
import { writeJobSummary } from '../../runner/job-summary';
import { runAction } from '../../runner/run-action';
import { stepGroups } from '../../runner/step-groups';
import { readTargetInputs } from '../../runner/target-inputs';

/**
 * Reads a workload environment's gates over a window and moves nothing: a bake between environments,
 * or "is production healthy now?". The step fails unless the verdict is pass.
 */
await runAction(async () => {
  const target = await readTargetInputs();
  const windowMs = gateWindow(optionalInput('window') ?? '5m', 'input "window"');
  const reportDir = optionalInput('report-dir') ?? '.tollgate/reports';
  // A watch neither reads nor writes the ledger.
  const session = await openActionSession(target, '');
  core.info(`backend ${session.name}: ${session.description}`);
  const groups = stepGroups(core);
  const cancellation = cancelOnSignals((message) => core.warning(message));
  const deps = gateDeps(session, { onEvent: groups.onEvent, signal: cancellation.signal });
  const request = { workload: target.workload, environment: target.environment, windowMs };
  const result = await watchGates(request, deps).finally(async () => {
    groups.close();
    cancellation.dispose();
    await session.close();
  });
  const [markdown = ''] = await writeGateReports(result, reportDir);
  core.setOutput('verdict', result.verdict);
  core.setOutput('report', markdown);
  await writeJobSummary(await readFile(markdown, 'utf8'));
  const what = `${target.workload} in ${target.environmentName}`;
  if (result.verdict === 'pass') core.info(`${what}: ${result.reason}`);
  else core.setFailed(`${what}: ${result.verdict}. ${result.reason}`);
});
