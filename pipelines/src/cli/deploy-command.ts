import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VirtualClock } from '../clock/clock';
import { FileLedger } from '../ledger/file-ledger';
import type { Ledger } from '../ledger/ledger';
import { loadPolicyFile } from '../policy/load-policy';
import { UNGATED } from '../policy/schema';
import { exitCodeFor, type ReleaseRecord } from '../release/record';
import { runRelease } from '../release/run-release';
import { jsonReport } from '../report/json-report';
import { markdownReport } from '../report/markdown-report';
import { SCENARIOS, type ScenarioName, simulate } from '../simulation/scenarios';
import type { Output } from './output';
import { progressPrinter } from './progress';

export interface DeployOptions {
  policy: string;
  env: string;
  version: string;
  backend: 'memory';
  scenario: ScenarioName;
  stable?: string;
  seed: number;
  rps: number;
  overrideAlarms?: string;
  ledger: string;
  reportDir: string;
  actor: string;
}

/**
 * Releases a version through the engine. The only backend so far is `memory`: an in-memory platform
 * and synthetic signals acting out a scenario under a virtual clock (the AWS adapters come next).
 */
export async function deployCommand(options: DeployOptions, out: Output): Promise<number> {
  const policy = await loadPolicyFile(options.policy);
  const ledger = new FileLedger(options.ledger);
  const stable = options.stable ?? (await lastStable(ledger, policy.workload, options.env));
  const clock = new VirtualClock(Date.now());
  const gates = policy.environments[options.env]?.gates ?? UNGATED;
  const sim = simulate({
    ...options,
    workload: policy.workload,
    gates,
    stable,
    clock,
    requestsPerSecond: options.rps,
  });
  out.log(
    `simulating ${policy.workload} ${stable} → ${options.version} (${options.env}): ${SCENARIOS[options.scenario]}`,
  );
  const cancellation = cancelOnSignals();
  const record = await runRelease(
    {
      policy,
      environment: options.env,
      version: options.version,
      actor: options.actor,
      ...override(options),
    },
    {
      ...{ platform: sim.platform, signals: sim.signals, clock, ledger },
      ...{ onEvent: progressPrinter(out.log), signal: cancellation.signal },
    },
  ).finally(cancellation.dispose);
  const written = await writeReports(record, options.reportDir);
  out.log(`${record.outcome}: ${record.reason}`);
  out.log(`report: ${written.join(', ')}`);
  return exitCodeFor(record);
}

/** SIGINT/SIGTERM (a cancelled job) abort the release, which then rolls back instead of dying mid-shift. */
function cancelOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => controller.abort(new Error(`received ${name}`));
    process.once(name, handler);
    return [name, handler] as const;
  });
  const dispose = () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
  return { signal: controller.signal, dispose };
}

function override(options: DeployOptions): { alarmOverride?: string } {
  return options.overrideAlarms ? { alarmOverride: options.overrideAlarms } : {};
}

/** The version a simulated platform starts from: the last promoted one in the ledger, else "1". */
async function lastStable(ledger: Ledger, workload: string, environment: string): Promise<string> {
  const records = await ledger.list({ workload, environment });
  return records.find((record) => record.outcome === 'promoted')?.toVersion ?? '1';
}

async function writeReports(record: ReleaseRecord, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `${record.workload}-${record.environment}-${record.toVersion}`);
  await writeFile(`${base}.md`, markdownReport(record), 'utf8');
  await writeFile(`${base}.json`, jsonReport(record), 'utf8');
  return [`${base}.md`, `${base}.json`];
}
