import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { writeJobSummary } from '../../runner/job-summary';
import { runAction } from '../../runner/run-action';
import { readDeployInputs } from './deploy-inputs';
import { deployRelease } from './deploy-release';
import { RELEASE_ENDED, RELEASE_STARTED } from './release-state';

/**
 * The deploy action's main step. The post step reads RELEASE_STARTED / RELEASE_ENDED: a release that
 * started and did not end (the job was cancelled or timed out) is settled there.
 */
await runAction(async () => {
  const inputs = await readDeployInputs();
  core.saveState(RELEASE_STARTED, 'true');
  const result = await deployRelease(inputs, core);
  core.saveState(RELEASE_ENDED, 'true');
  const { record } = result;
  const markdown = result.reports.find((file) => file.endsWith('.md'));
  const html = result.reports.find((file) => file.endsWith('.html'));
  core.setOutput('outcome', record.outcome);
  core.setOutput('verdict', record.verdict ?? '');
  core.setOutput('report', markdown ?? '');
  core.setOutput('report-html', html ?? '');
  if (markdown) await writeJobSummary(await readFile(markdown, 'utf8'));
  for (const problem of result.problems) core.warning(problem);
  const what = `${record.workload} ${record.toVersion} in ${record.environment}`;
  if (record.outcome === 'promoted') core.info(`${what}: promoted. ${record.reason}`);
  else core.setFailed(`${what}: ${record.outcome}. ${record.reason}`);
});
