import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { onTestFinished } from 'vitest';
import type { FaultPlan } from '../../src/faults/fault-plan';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import type { TargetRef } from '../../src/provisioning/target-selection';
import { type CloudTraffic, startCloudTraffic } from '../../src/traffic/cloud-traffic';
import { startWireRecorder, type WireCall } from './wire-recorder';

export type { WireCall } from './wire-recorder';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TOLLGATE = join(ROOT, 'pipelines/bin/tollgate.mjs');
/** A whole release is a real process; none of these should take a minute and a half of real time. */
const RELEASE_TIMEOUT_MS = 120_000;
/** How long `line()` waits for its line unless told otherwise. */
const LINE_TIMEOUT_MS = 60_000;

export interface ReleaseWorld {
  cloud: LocalCloud;
  /** Traffic to the target since the world started; `stop()` answers what it sent (again, if asked again). */
  traffic: CloudTraffic;
  /** Cloud time when the world's cloud and traffic were up. */
  startedAt: number;
  /** The test's own folder: policies, ledger, reports (kept when the test fails). */
  dir: string;
  /** What an official SDK client needs to talk to the cloud directly (not through the recorder). */
  aws: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Where releases send their AWS calls (AWS_ENDPOINT_URL): a recorder in front of the cloud. */
  endpoint: string;
  /** Every AWS call the releases sent, in the order they were answered (see WireCall). */
  calls: WireCall[];
  /** Runs `tollgate deploy --backend local` as a real process against the cloud. */
  deploy(request: DeployRequest): Promise<DeployRun>;
  /** Starts the same, for a test that kills it. */
  spawnDeploy(request: DeployRequest): Promise<RunningDeploy>;
  /** The ledger's records as they stand, one per release (its last write). */
  ledger(): Promise<LedgerRecord[]>;
}

export interface DeployRequest {
  version: string;
  /** The policy's YAML; written to a file of the test's own. */
  policy: string;
  environment?: string;
  artifact?: string;
}

export interface DeployRun {
  code: number | null;
  out: string;
  /** The release's JSON report (outcome, reason, steps, events). */
  report: {
    outcome: string;
    reason: string;
    backend: string;
    simulated: boolean;
    method: string;
    fromVersion: string;
    toVersion: string;
    steps: {
      index: number;
      verdict: string;
      reason: string;
      readings: { gate: string; metric: string; verdict: string; reason: string }[];
    }[];
    events: { type: string; message: string }[];
  };
}

export interface RunningDeploy {
  child: ChildProcess;
  /** The first whole stdout line matching `pattern`; rejects if the run ends or the wait times out first. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

export interface LedgerRecord {
  id: string;
  outcome: string;
  reason: string;
  toVersion: string;
}

/** A local cloud running `target`'s workload, with traffic to it, stopped when the test finishes. */
export async function releaseWorld(
  target: TargetRef,
  options: { scale?: number; rps?: number; faults?: FaultPlan } = {},
): Promise<ReleaseWorld> {
  const manifest = await loadManifestFile(join(ROOT, 'infra/aws/release-manifest.json'));
  const region = manifest.workloads[target.workload]?.environments[target.environment]?.region;
  if (!region) throw new Error(`the manifest has no ${target.workload} in ${target.environment}`);
  const dir = await mkdtemp(join(tmpdir(), `tollgate-e2e-${target.workload}-`));
  const cloud = await startLocalCloud({
    manifest,
    only: [target],
    scale: options.scale ?? 60,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const traffic = startCloudTraffic(cloud, options.rps ?? 100);
  const startedAt = cloud.clock.now();
  const recorder = await startWireRecorder(cloud.endpoint);
  const running = new Set<ChildProcess>();
  onTestFinished(async ({ task }) => {
    // A test that failed before its release ended leaves the process: it must not outlive the cloud.
    for (const child of running) child.kill('SIGKILL');
    await traffic.stop();
    await recorder.close();
    await cloud.close();
    if (task.result?.state === 'pass') await rm(dir, { recursive: true, force: true });
    else console.error(`release world of ${task.name} kept in ${dir}`);
  });
  const ledgerFile = join(dir, 'ledger.jsonl');
  const args = async (request: DeployRequest) => {
    const policy = join(dir, `policy-${request.version}.yml`);
    await writeFile(policy, request.policy);
    return [
      ...['deploy', '--backend', 'local', '-p', policy, '-e', request.environment ?? target.environment],
      ...['-v', request.version, '--actor', 'e2e', '--ledger', ledgerFile],
      ...['--report-dir', join(dir, 'reports')],
      ...(request.artifact ? ['--artifact', request.artifact] : []),
    ];
  };
  const start = async (request: DeployRequest) => {
    const run = runTollgate(await args(request), recorder.url);
    running.add(run.child);
    void run.done.then(() => running.delete(run.child));
    return run;
  };
  return {
    cloud,
    traffic,
    startedAt,
    dir,
    aws: { endpoint: cloud.endpoint, region, credentials: LOCAL_CREDENTIALS },
    endpoint: recorder.url,
    calls: recorder.calls,
    spawnDeploy: start,
    deploy: async (request) => {
      const { code, out } = await (await start(request)).done;
      const reportFile = out.match(/^report: .*?([^\s,]+\.json)(,|$)/m)?.[1];
      if (!reportFile) throw new Error(`the release wrote no report (exit ${code}):\n${out}`);
      return { code, out, report: JSON.parse(await readFile(reportFile, 'utf8')) };
    },
    ledger: () => readLedger(ledgerFile),
  };
}

const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDE2ELOCAL', secretAccessKey: 'local-cloud-secret' };

/** `tollgate` as a real process, as a workflow runs it, with AWS_ENDPOINT_URL pointing at `endpoint`. */
function runTollgate(argv: string[], endpoint: string): RunningDeploy {
  const child = spawn(process.execPath, [TOLLGATE, ...argv], {
    cwd: ROOT,
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, RELEASE_TIMEOUT_MS);
  const output = captureOutput(child);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const note = timedOut ? `\n(the harness killed it after ${RELEASE_TIMEOUT_MS} ms)` : '';
      resolve({ code, signal, out: output.text() + note });
    }),
  );
  return { child, line: output.line, done };
}

/** A process's stdout and stderr as one text, and waits for a whole stdout line, bounded by its end. */
function captureOutput(child: ChildProcess) {
  let out = '';
  let partial = '';
  const lines: string[] = [];
  const waiters = new Set<(line: string | undefined) => boolean>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const split = (partial + chunk.toString()).split('\n');
    partial = split.pop() ?? '';
    lines.push(...split);
    for (const line of split) for (const waiter of [...waiters]) if (waiter(line)) waiters.delete(waiter);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.once('close', () => {
    for (const waiter of [...waiters]) waiter(undefined);
  });
  const ended = (pattern: RegExp) =>
    new Error(`the release ended without a line matching ${pattern}:\n${out}`);
  const line = (pattern: RegExp, timeoutMs = LINE_TIMEOUT_MS) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return reject(ended(pattern));
      const waiter = (l: string | undefined) => {
        if (l !== undefined && !pattern.test(l)) return false;
        clearTimeout(timeout);
        if (l === undefined) reject(ended(pattern));
        else resolve(l);
        return true;
      };
      const timeout = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  return { line, text: () => out };
}

async function readLedger(file: string): Promise<LedgerRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const records = new Map<string, LedgerRecord>();
  for (const line of text.split('\n').filter(Boolean)) {
    const { record } = JSON.parse(line) as { record: LedgerRecord };
    const { id, outcome, reason, toVersion } = record;
    records.set(id, { id, outcome, reason, toVersion });
  }
  return [...records.values()];
}

/** The gate readings that failed at the last poll of the release's last judged step, as `gate:metric`. */
export function failedReadings(run: DeployRun): string[] {
  const last = run.report.steps.at(-1);
  return (last?.readings ?? []).filter((r) => r.verdict === 'fail').map((r) => `${r.gate}:${r.metric}`);
}

/**
 * Waits (bounded) until every alarm of `names` is OK, as CloudWatch answers it, on an evaluation window
 * (EvaluationPeriods × Period) that began after the world started. A world's first minute holds its
 * processes' cold starts and, at a compressed clock, one real second of a busy CPU is a third of a
 * period; a latency alarm may take that for an incident. A release starts on a settled service, as in
 * AWS (where preflight refuses one on an alarming service).
 */
export async function alarmsSettled(world: ReleaseWorld, names: string[], timeoutMs = 45_000): Promise<void> {
  const cloudWatch = new CloudWatchClient({ ...world.aws, maxAttempts: 1 });
  const deadline = performance.now() + timeoutMs;
  let states: string[] = [];
  while (performance.now() < deadline) {
    const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));
    const now = world.cloud.clock.now();
    const settled = (alarm: (typeof MetricAlarms)[number]) => {
      const periodMs =
        1000 * (alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60);
      const windowStart = Math.floor(now / periodMs) * periodMs - (alarm.EvaluationPeriods ?? 1) * periodMs;
      return alarm.StateValue === 'OK' && windowStart >= world.startedAt;
    };
    states = MetricAlarms.map((alarm) => `${alarm.AlarmName}: ${alarm.StateValue} (${alarm.StateReason})`);
    if (MetricAlarms.length === names.length && MetricAlarms.every(settled)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the alarms did not settle to OK within ${timeoutMs} ms: ${states.join('; ')}`);
}

/**
 * The calls to one service (its signing name: `lambda`, `monitoring`, …) the releases sent, those answered
 * with an error, and those of the errors whose operation was never answered without one later (a call
 * the SDK did not ride out).
 */
export function callsTo(world: ReleaseWorld, service: string) {
  const calls = world.calls.filter((call) => call.service === service);
  const failed = calls.filter((call) => call.status >= 400);
  const unretried = failed.filter(
    (failure) =>
      !calls
        .slice(calls.indexOf(failure) + 1)
        .some((later) => later.operation === failure.operation && later.status < 400),
  );
  return { calls, failed, unretried };
}

/**
 * Which releases served the target's requests from `from` (cloud time) on, read as a user would: X-Ray
 * trace summaries of the target's service, counted by their `release` annotation. Waits (bounded) until
 * at least `atLeast` traces started after `from`, so it says what serves now, not what served before.
 */
export async function tracedReleases(
  world: ReleaseWorld,
  target: TargetRef,
  from: number,
  atLeast = 50,
): Promise<Record<string, number>> {
  const serviceName =
    world.cloud.manifest.workloads[target.workload]?.environments[target.environment]?.xrayServiceName;
  if (!serviceName) throw new Error(`the cloud runs no ${target.workload} in ${target.environment}`);
  const xray = new XRayClient({ ...world.aws, maxAttempts: 1 });
  let counts: Record<string, number> = {};
  for (let attempt = 0; attempt < 40; attempt += 1) {
    counts = {};
    // One query per attempt: a NextToken belongs to the time range it was issued for.
    const until = new Date(world.cloud.clock.now());
    let nextToken: string | undefined;
    for (let page = 0; page < 100 && (page === 0 || nextToken); page += 1) {
      const answer = await xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(from),
          EndTime: until,
          TimeRangeType: 'Event',
          FilterExpression: `service("${serviceName}")`,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const summary of answer.TraceSummaries ?? []) {
        if ((summary.StartTime?.getTime() ?? 0) < from) continue;
        const release = summary.Annotations?.release?.[0]?.AnnotationValue?.StringValue ?? 'none';
        counts[release] = (counts[release] ?? 0) + 1;
      }
      nextToken = answer.NextToken;
    }
    if (Object.values(counts).reduce((a, b) => a + b, 0) >= atLeast) return counts;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`fewer than ${atLeast} traces of ${serviceName} in 10 s: ${JSON.stringify(counts)}`);
}

/** A Lambda workload's deployment zip, written where `--artifact zip:` can read it. */
export async function lambdaArtifact(world: ReleaseWorld, workload: string): Promise<string> {
  const file = join(world.dir, `${workload}.zip`);
  await writeFile(file, await bundleLambdaZip(workload));
  return `zip:${file}`;
}
