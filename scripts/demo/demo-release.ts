import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startActionStep } from '@tollgate/actions/bundle/run-bundled-action';
import { renderRunnerLine } from '@tollgate/actions/bundle/runner-log';
import type { LocalCloud } from '@tollgate/local-cloud/local-cloud';
import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import type { DemoRelease } from './releases';

export const DEMO_ENVIRONMENT = 'production';

export interface DemoRun {
  exit: number | null;
  /** The release's JSON report. */
  reportFile: string;
  realMs: number;
}

/**
 * One release of the demo: the version's fault (if any) put in the cloud's plan, then the bundled deploy
 * action (`actions/deploy/dist/main.mjs`) run as a real process the way GitHub's runner runs it (INPUT_*
 * variables, GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files), pointed at the local cloud.
 */
export async function runDemoRelease(
  cloud: LocalCloud,
  release: DemoRelease,
  outDir: string,
  output: 'show' | 'hide',
): Promise<DemoRun> {
  const { workload, version } = release;
  if (release.fault) cloud.faults.versions.push({ workload, version, ...release.fault });
  const started = performance.now();
  const step = await startActionStep({
    action: 'deploy',
    inputs: {
      workload,
      environment: DEMO_ENVIRONMENT,
      version,
      policy: release.policy,
      backend: 'local',
      ledger: 'file',
      'ledger-file': join(outDir, 'ledger.jsonl'),
      'report-dir': join(outDir, 'reports'),
      artifact: await artifactOf(cloud, workload, outDir),
    },
    env: {
      ...process.env,
      GITHUB_ACTOR: 'demo',
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    ...(output === 'show' ? { onLine: showLine } : {}),
  });
  const result = await step.done;
  const report = result.outputs.report ?? '';
  return {
    exit: result.code,
    reportFile: report.replace(/\.md$/, '.json'),
    realMs: performance.now() - started,
  };
}

function showLine(line: string): void {
  const shown = renderRunnerLine(line);
  if (shown !== undefined) console.log(shown);
}

/** A Lambda is staged from a deployment zip; a container version is named by its image tag (the default). */
async function artifactOf(cloud: LocalCloud, workload: string, outDir: string): Promise<string> {
  if (cloud.manifest.workloads[workload]?.platform !== 'lambda') return '';
  const file = join(outDir, `${workload}.zip`);
  await writeFile(file, await bundleLambdaZip(workload));
  return `zip:${file}`;
}
