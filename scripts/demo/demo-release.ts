import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalCloud } from '@tollgate/local-cloud/local-cloud';
import { bundleLambdaZip } from '@tollgate/local-cloud/services/lambda/bundle-lambda-zip';
import type { DemoRelease } from './releases';

export const DEMO_ENVIRONMENT = 'production';

export interface DemoRun {
  exit: number | null;
  /** The release's JSON report. */
  reportFile: string;
  realMs: number;
}

/**
 * One release of the demo: the version's fault (if any) put in the cloud's plan, then `tollgate deploy
 * --backend local` as a real process, as a user or a workflow runs it, pointed at the local cloud.
 */
export async function runDemoRelease(
  cloud: LocalCloud,
  release: DemoRelease,
  outDir: string,
  output: 'inherit' | 'ignore',
): Promise<DemoRun> {
  const { workload, version } = release;
  if (release.fault) cloud.faults.versions.push({ workload, version, ...release.fault });
  const started = performance.now();
  const exit = await tollgate(cloud, output, [
    ...['deploy', '--backend', 'local', '-p', release.policy, '-e', DEMO_ENVIRONMENT, '-v', version],
    ...['--actor', 'demo', '--ledger', join(outDir, 'ledger.jsonl'), '--report-dir', join(outDir, 'reports')],
    ...(await artifactFlag(cloud, workload, outDir)),
  ]);
  const reportFile = join(outDir, 'reports', `${workload}-${DEMO_ENVIRONMENT}-${version}.json`);
  return { exit, reportFile, realMs: performance.now() - started };
}

/** A Lambda is staged from a deployment zip; a container version is named by its image tag (the default). */
async function artifactFlag(cloud: LocalCloud, workload: string, outDir: string): Promise<string[]> {
  if (cloud.manifest.workloads[workload]?.platform !== 'lambda') return [];
  const file = join(outDir, `${workload}.zip`);
  await writeFile(file, await bundleLambdaZip(workload));
  return ['--artifact', `zip:${file}`];
}

function tollgate(cloud: LocalCloud, output: 'inherit' | 'ignore', args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['pipelines/bin/tollgate.mjs', ...args], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', output, output],
  });
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}
