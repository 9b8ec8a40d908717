// `npm run demo`: the local cloud (infra/local) started in this process, SecureCart's traffic through it,
// and four releases through `tollgate deploy --backend local` run as real processes — for a Lambda
// (payments) and a container workload (product-search on App Runner), one healthy version that is
// promoted and one that regresses and is rolled back. Live progress here, reports in the folder it names.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LocalCloud, startLocalCloud } from '@tollgate/local-cloud/local-cloud';
import { bundleLambdaZip } from '@tollgate/local-cloud/services/lambda/bundle-lambda-zip';
import { startCloudTraffic } from '@tollgate/local-cloud/traffic/cloud-traffic';
import type { TrafficStats } from '@tollgate/local-cloud/traffic/entry-point';
import { DEFAULT_MANIFEST, loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { DEMO_RELEASES, type DemoRelease } from './releases';

const OUT_DIR = '.tollgate/demo';
const SCALE = 20;
const REQUESTS_PER_SECOND = 100;

async function main(): Promise<number> {
  const started = performance.now();
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });
  const manifest = await loadManifestFile(DEFAULT_MANIFEST);
  const only = [...new Set(DEMO_RELEASES.map((r) => r.workload))].map((workload) => ({
    workload,
    environment: 'production',
  }));
  console.log(`starting the local cloud (time ×${SCALE}) with ${only.map((t) => t.workload).join(', ')} …`);
  const cloud = await startLocalCloud({ manifest, only, scale: SCALE });
  const traffic = startCloudTraffic(cloud, REQUESTS_PER_SECOND);
  console.log(`local cloud at ${cloud.endpoint}; ${REQUESTS_PER_SECOND} requests/s to each workload\n`);
  const outcomes: string[] = [];
  try {
    for (const release of DEMO_RELEASES) outcomes.push(await runRelease(cloud, release));
  } finally {
    const sent = await traffic.stop();
    await cloud.close();
    console.log('');
    for (const [target, stats] of Object.entries(sent))
      console.log(`traffic to ${target}: ${describeTraffic(stats)}`);
  }
  console.log(`\n=== outcomes (${((performance.now() - started) / 1000).toFixed(0)} s wall clock) ===`);
  for (const line of outcomes) console.log(line);
  console.log(`reports: ${join(OUT_DIR, 'reports')}  ·  ledger: ${join(OUT_DIR, 'ledger.jsonl')}`);
  return outcomes.every((line) => line.includes('as expected')) ? 0 : 1;
}

async function runRelease(cloud: LocalCloud, release: DemoRelease): Promise<string> {
  console.log(`=== ${release.workload} ${release.version}: ${release.story} ===`);
  if (release.fault)
    cloud.faults.versions.push({ workload: release.workload, version: release.version, ...release.fault });
  const exit = await tollgate(cloud, [
    ...['deploy', '--backend', 'local', '-p', release.policy, '-e', 'production', '-v', release.version],
    ...[
      '--actor',
      'demo',
      '--ledger',
      join(OUT_DIR, 'ledger.jsonl'),
      '--report-dir',
      join(OUT_DIR, 'reports'),
    ],
    ...(await artifactFlag(release.workload)),
  ]);
  const as =
    exit === release.expectedExit ? 'as expected' : `UNEXPECTED (wanted exit ${release.expectedExit})`;
  console.log('');
  return `${release.workload} ${release.version} (${release.story}): exit ${exit}, ${as}`;
}

function describeTraffic(stats: TrafficStats): string {
  const others = Object.entries(stats.byStatus).filter(([status]) => !status.startsWith('2'));
  const rest = others.map(([status, count]) => `${count} ${status}`).join(', ');
  return `${stats.ok} of ${stats.sent} answered 2xx${rest ? ` (others: ${rest})` : ''}`;
}

/** Lambdas are staged from a deployment zip; container versions are named by their image tag. */
async function artifactFlag(workload: string): Promise<string[]> {
  const platform = workload === 'payments' ? 'lambda' : 'container';
  if (platform !== 'lambda') return [];
  const file = join(OUT_DIR, `${workload}.zip`);
  await writeFile(file, await bundleLambdaZip(workload));
  return ['--artifact', `zip:${file}`];
}

/** `tollgate` as a real process, as a user or a workflow runs it, pointed at the local cloud. */
function tollgate(cloud: LocalCloud, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['pipelines/bin/tollgate.mjs', ...args], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await main();
