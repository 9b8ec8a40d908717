// `npm run bench:local-cloud`: what the local cloud costs and how fast the demo's releases go. Prints
// (1) each demo release's real duration and outcome (through the bundled deploy action, as the demo),
// (2) for each regressing release, how long the bad version served before the gate caught it and before
// traffic was back, in cloud and real seconds, (3) how long the rollback action takes to put each workload back on its previous release, and (4) the
// local cloud's overhead per request: a container behind its router, a Lambda invocation, an AWS API
// call on the wire.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { bundleAction } from '@tollgate/actions/bundle/bundle-action';
import {
  DEFAULT_DEPENDENCY_LATENCY,
  type LocalCloud,
  startLocalCloud,
} from '@tollgate/local-cloud/local-cloud';
import { startCloudTraffic } from '@tollgate/local-cloud/traffic/cloud-traffic';
import { LOCAL_CREDENTIALS } from '@tollgate/pipelines/backends/local-backend';
import { DEFAULT_MANIFEST, loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { DEMO_ENVIRONMENT, runDemoRelease, runDemoRollback } from './demo/demo-release';
import { DEMO_RELEASES, DEMO_REQUESTS_PER_SECOND, DEMO_SCALE } from './demo/releases';

const OUT_DIR = '.tollgate/bench-local-cloud';
const OVERHEAD_SAMPLES = 500;

interface ReportEvent {
  at: number;
  type: string;
}

async function main(): Promise<void> {
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });
  for (const action of ['deploy', 'rollback'] as const) await bundleAction(action);
  const manifest = await loadManifestFile(DEFAULT_MANIFEST);
  const only = [...new Set(DEMO_RELEASES.map((r) => r.workload))].map((workload) => ({
    workload,
    environment: DEMO_ENVIRONMENT,
  }));
  const started = performance.now();
  const cloud = await startLocalCloud({ manifest, only, scale: DEMO_SCALE });
  console.log(`local cloud started in ${seconds(performance.now() - started)} (${only.length} workloads)`);
  const traffic = startCloudTraffic(cloud, DEMO_REQUESTS_PER_SECOND);
  console.log(`\n## Demo releases (×${DEMO_SCALE}, ${DEMO_REQUESTS_PER_SECOND} requests/s per workload)\n`);
  console.log(
    '| release | outcome | real time | serving before caught (cloud / real) | until traffic back (cloud / real) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  try {
    for (const release of DEMO_RELEASES) {
      const run = await runDemoRelease(cloud, release, OUT_DIR, 'hide');
      const report = JSON.parse(await readFile(run.reportFile, 'utf8')) as {
        outcome: string;
        events: ReportEvent[];
      };
      const exposure = release.fault ? exposureOf(report.events, DEMO_SCALE) : ['—', '—'];
      console.log(
        `| ${release.workload} ${release.version} (${release.story}) | ${report.outcome} (exit ${run.exit}) | ${seconds(run.realMs)} | ${exposure[0]} | ${exposure[1]} |`,
      );
    }
    console.log(`\nall four: ${seconds(performance.now() - started)} including the cloud's start`);
    await printRollbacks(cloud);
  } finally {
    await traffic.stop();
  }
  await printOverheads(cloud);
  await cloud.close();
}

/**
 * The rollback action for each demo workload, back from its promoted 1.1.0 to 1.0.0 all at once: real
 * seconds from the step's start to its end (the engine has then read the platform serving 1.0.0 alone;
 * the target is under 60), and the cloud seconds the rollback took by its record.
 */
async function printRollbacks(cloud: LocalCloud): Promise<void> {
  console.log('\n## Rollback action (to the release before the live one, all at once)\n');
  console.log('| workload | outcome | versions | step start to 100% (real) | in cloud time |');
  console.log('| --- | --- | --- | --- | --- |');
  const workloads = new Map(DEMO_RELEASES.map((release) => [release.workload, release.policy]));
  for (const [workload, policy] of workloads) {
    const run = await runDemoRollback(cloud, workload, policy, OUT_DIR);
    if (run.exit !== 0) {
      const why = run.log.match(/^::error::(.*)$/m)?.[1] ?? `exit ${run.exit}`;
      console.log(
        `| ${workload} | not rolled back (exit ${run.exit}): ${why} | — | ${seconds(run.realMs)} | — |`,
      );
      continue;
    }
    const report = JSON.parse(await readFile(run.reportFile, 'utf8')) as {
      startedAt: number;
      finishedAt: number;
    };
    const versions = `${run.outputs['from-version']} → ${run.outputs.version}`;
    const cloudTime = seconds(report.finishedAt - report.startedAt);
    console.log(
      `| ${workload} | ${run.outputs.outcome} | ${versions} | ${seconds(run.realMs)} | ${cloudTime} |`,
    );
  }
}

/** From the first request on the bad version to the failed step, and to the rollback's end. */
function exposureOf(events: readonly ReportEvent[], scale: number): [string, string] {
  const at = (type: string) => events.find((event) => event.type === type)?.at;
  const shifted = at('shift');
  const failed = at('step-failed');
  const back = at('rollback');
  if (shifted === undefined || failed === undefined || back === undefined) return ['not rolled back', '—'];
  const both = (ms: number) => `${seconds(ms)} / ${seconds(ms / scale)}`;
  return [both(failed - shifted), both(back - shifted)];
}

async function printOverheads(cloud: LocalCloud): Promise<void> {
  console.log(`\n## Overhead per request (${OVERHEAD_SAMPLES} sequential requests, median and p99)\n`);
  const search = cloud.entryPoint('product-search', DEMO_ENVIRONMENT);
  if (search.kind === 'http') {
    const path = '/search?q=lamp';
    const routed = await timed(() => fetch(`${search.url}${path}`).then((r) => r.arrayBuffer()));
    console.log(`- product-search through its router: ${describe(routed)}; ${beyondDependency(routed)}`);
  }
  const payments = cloud.entryPoint('payments', DEMO_ENVIRONMENT);
  if (payments.kind === 'invoke') {
    const payload = { orderId: 'bench', paymentToken: 'tok_visa', amount: 10, currency: 'EUR' };
    const invoked = await timed(() => payments.invoke(payload));
    console.log(
      `- payments through the local Lambda runtime: ${describe(invoked)}; ${beyondDependency(invoked)}`,
    );
  }
  const target = cloud.manifest.workloads.payments?.environments[DEMO_ENVIRONMENT];
  if (target?.platform === 'lambda') {
    const lambda = new LambdaClient({
      endpoint: cloud.endpoint,
      region: target.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const api = await timed(() =>
      lambda.send(new GetAliasCommand({ FunctionName: target.functionName, Name: target.alias })),
    );
    console.log(
      `- an AWS API call on the wire (Lambda GetAlias through the SDK, validated): ${describe(api)}`,
    );
  }
}

async function timed(call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function describe(sorted: readonly number[]): string {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return `${at(0.5).toFixed(2)} ms median, ${at(0.99).toFixed(2)} ms p99`;
}

/** What a request costs beyond the dependency latency every version waits (DEFAULT_DEPENDENCY_LATENCY). */
function beyondDependency(sorted: readonly number[]): string {
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `${(median - DEFAULT_DEPENDENCY_LATENCY.addedLatencyMs).toFixed(2)} ms beyond the ${DEFAULT_DEPENDENCY_LATENCY.addedLatencyMs} ms dependency latency (median)`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await main();
