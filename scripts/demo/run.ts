// `npm run demo`: the local cloud (infra/local) started in this process, SecureCart's traffic through it,
// and four releases through the bundled deploy action (actions/deploy), each run as a real process the
// way GitHub's runner runs it — for a Lambda (payments) and a container workload (product-search on App
// Runner), one healthy version that is promoted and one that regresses and is rolled back. Live progress
// here, reports in the folder it names.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleAction } from '@tollgate/actions/bundle/bundle-action';
import { type LocalCloud, startLocalCloud } from '@tollgate/local-cloud/local-cloud';
import { startCloudTraffic } from '@tollgate/local-cloud/traffic/cloud-traffic';
import type { TrafficStats } from '@tollgate/local-cloud/traffic/entry-point';
import { DEFAULT_MANIFEST, loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { DEMO_ENVIRONMENT, runDemoRelease } from './demo-release';
import { DEMO_RELEASES, DEMO_REQUESTS_PER_SECOND, DEMO_SCALE, type DemoRelease } from './releases';

const OUT_DIR = '.tollgate/demo';

async function main(): Promise<number> {
  const started = performance.now();
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });
  console.log('bundling the deploy action (actions/deploy/dist) …');
  await bundleAction('deploy');
  const manifest = await loadManifestFile(DEFAULT_MANIFEST);
  const only = [...new Set(DEMO_RELEASES.map((r) => r.workload))].map((workload) => ({
    workload,
    environment: DEMO_ENVIRONMENT,
  }));
  console.log(
    `starting the local cloud (time ×${DEMO_SCALE}) with ${only.map((t) => t.workload).join(', ')} …`,
  );
  const cloud = await startLocalCloud({ manifest, only, scale: DEMO_SCALE });
  const traffic = startCloudTraffic(cloud, DEMO_REQUESTS_PER_SECOND);
  console.log(`local cloud at ${cloud.endpoint}; ${DEMO_REQUESTS_PER_SECOND} requests/s to each workload\n`);
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
  const { exit } = await runDemoRelease(cloud, release, OUT_DIR, 'show');
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

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await main();
