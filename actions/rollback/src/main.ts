import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { PlatformUnreadableError } from '@tollgate/pipelines/release/manual-rollback';
import { writeJobSummary } from '../../runner/job-summary';
import { runAction } from '../../runner/run-action';
import { rollBack } from './roll-back';
import { readRollbackInputs } from './rollback-inputs';

/**
 * Returns a workload environment to an earlier promoted release at once, no gates and no analysis
 * (firing alarms are why people roll back), recording who asked and why.
 */
await runAction(async () => {
  const started = performance.now();
  const inputs = await readRollbackInputs();
  const result = await rollBack(inputs, core);
  if (result instanceof PlatformUnreadableError) {
    core.setOutput('outcome', 'failed');
    core.setFailed(result.message);
    return;
  }
  const { record } = result;
  const rolledBack = record.outcome === 'rolled-back';
  const markdown = result.reports.find((file) => file.endsWith('.md'));
  core.setOutput('outcome', record.outcome);
  core.setOutput('from-version', result.fromVersion);
  core.setOutput('version', rolledBack ? result.toVersion : '');
  core.setOutput('report', markdown ?? '');
  if (markdown) await writeJobSummary(await readFile(markdown, 'utf8'));
  for (const problem of result.problems) core.warning(problem);
  const what = `${inputs.target.workload} in ${inputs.target.environmentName}`;
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (rolledBack)
    core.info(`${what}: ${result.toVersion} serves 100% (was ${result.fromVersion}); took ${took}`);
  else core.setFailed(`${what}: ${record.outcome}. ${record.reason}`);
});
