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
      ...demoInputs(workload, release.policy, outDir),
      version,
      artifact: await artifactOf(cloud, workload, outDir),
    },
    env: demoEnv(cloud),
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

/**
 * The bundled rollback action run the same way, returning `workload` to the release before the live one;
 * `realMs` runs from the step's start to its end, when the engine has seen that version alone serving.
 */
export async function runDemoRollback(cloud: LocalCloud, workload: string, policy: string, outDir: string) {
  const started = performance.now();
  const step = await startActionStep({
    action: 'rollback',
    inputs: { ...demoInputs(workload, policy, outDir), reason: 'the benchmark asks for it' },
    env: demoEnv(cloud),
  });
  const result = await step.done;
  const report = (result.outputs.report ?? '').replace(/\.md$/, '.json');
  return {
    exit: result.code,
    outputs: result.outputs,
    log: result.log,
    reportFile: report,
    realMs: performance.now() - started,
  };
}

function demoInputs(workload: string, policy: string, outDir: string): Record<string, string> {
  return {
    workload,
    environment: DEMO_ENVIRONMENT,
    policy,
    backend: 'local',
    ledger: 'file',
    'ledger-file': join(outDir, 'ledger.jsonl'),
    'report-dir': join(outDir, 'reports'),
  };
}

function demoEnv(cloud: LocalCloud): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GITHUB_ACTOR: 'demo',
    AWS_ENDPOINT_URL: cloud.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
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
