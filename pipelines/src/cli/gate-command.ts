import { type Command, Option } from 'commander';
import { BACKENDS, type BackendChoice, type BackendSession } from '../backends/backend';
import { openBackend } from '../backends/create-backend';
import { errorText } from '../errors/error-text';
import { InputError } from '../errors/input-error';
import { environmentOf, loadPolicyFile } from '../policy/load-policy';
import { type GateWatchDeps, type GateWatchRequest, watchGates } from '../release/gate-watch';
import { writeGateReports } from '../report/gate-report';
import { loadManifestFile } from '../targets/load-manifest';
import { formatDuration, isDuration, parseDuration } from '../time/duration';
import { backendOptions, sessionBackendFlags } from './backend-flags';
import { cancelOnSignals } from './cancellation';
import { wholeNumber } from './options';
import type { Output } from './output';
import { progressPrinter } from './progress';
import { closeSession } from './release-session';

/** The memory backend's scenarios that mean something when nothing is released. */
export const GATE_SCENARIOS = ['healthy', 'alarm-mid-bake'] as const;
export type GateScenario = (typeof GATE_SCENARIOS)[number];

/** What `tollgate gate` (and the gate action) takes. */
export interface GateOptions {
  policy: string;
  env: string;
  manifest: string;
  /** How long to watch, as a duration ("30s", "5m", "1h30m"). */
  window: string;
  backend: BackendChoice;
  /** memory backend: `alarm-mid-bake` fires the first gating alarm two minutes into the window. */
  scenario: GateScenario;
  stable: string;
  seed: number;
  rps: number;
  /** memory backend: the simulated platforms' state, shared with the deploys that ran before. */
  state: string;
  reportDir: string;
}

/** The options of `tollgate gate` after --policy, --env and --manifest (see `withTarget`). */
export function withGateOptions(command: Command): Command {
  return command
    .requiredOption('--window <duration>', 'how long to watch: 30s, 5m, 1h30m (at most 24h)')
    .addOption(
      new Option(
        '--backend <name>',
        "where the gates are read: memory = simulated signals; aws = the target's own; local = the project's local cloud",
      )
        .choices(BACKENDS)
        .default('memory'),
    )
    .addOption(
      new Option(
        '--scenario <name>',
        'memory backend: alarm-mid-bake fires the first gating alarm 2 minutes in',
      )
        .choices(GATE_SCENARIOS)
        .default('healthy'),
    )
    .option('--stable <version>', 'memory backend: the stable version of a workload it has not seen yet', '1')
    .option('--seed <n>', 'memory backend: seed of the simulated traffic', wholeNumber(1, 2 ** 31 - 1), 1)
    .option('--rps <n>', 'memory backend: simulated requests per second', wholeNumber(1, 100_000), 50)
    .option('--state <file>', "memory backend: the simulated platforms' state", '.tollgate/memory-state.json')
    .option('--report-dir <dir>', 'where the markdown and JSON reports go', '.tollgate/reports');
}

export interface PreparedGate {
  request: GateWatchRequest;
  session: BackendSession;
}

/** At most a day: a watch is a bake or a health check, not a monitor. */
const MAX_WINDOW_MS = 24 * 3_600_000;

/** Parses a watch window; a bad one names the input and the format. */
export function gateWindow(text: string, what = '--window'): number {
  if (!isDuration(text)) {
    throw new InputError(
      `${what} "${text}" is not a duration: whole hours, minutes and seconds like 30s, 5m or 1h30m`,
    );
  }
  const ms = parseDuration(text);
  if (ms <= 0 || ms > MAX_WINDOW_MS) {
    throw new InputError(
      `${what} ${text} is out of range: more than 0s and at most ${formatDuration(MAX_WINDOW_MS)}`,
    );
  }
  return ms;
}

/** Validates every input (manifest, policy, environment, window), then opens the backend. */
export async function openGateSession(options: GateOptions): Promise<PreparedGate> {
  const windowMs = gateWindow(options.window);
  const manifest = await loadManifestFile(options.manifest);
  const loaded = await loadPolicyFile(options.policy, manifest);
  const environment = environmentOf(loaded, options.env);
  const workload = loaded.policy.workload;
  // Nothing is released: no version plays the scenario's canary; every version behaves as it did.
  const target = { workload, environment, version: '' };
  // A watch neither reads nor writes the ledger: none is named.
  const flags = sessionBackendFlags(options, options);
  const session = await openBackend(target, backendOptions(flags, manifest));
  return { request: { workload, environment, windowMs }, session };
}

/** The ports of a session as a watch uses them. */
export function gateDeps(
  session: BackendSession,
  extra: Pick<GateWatchDeps, 'onEvent' | 'signal'> = {},
): GateWatchDeps {
  return {
    platform: session.platform,
    signals: session.signals,
    clock: session.clock,
    backend: session.name,
    ...extra,
  };
}

/** Watches an environment's gates over a window, moving nothing; prints the verdict and the report's path. */
export async function gateCommand(options: GateOptions, out: Output): Promise<number> {
  const { request, session } = await openGateSession(options);
  out.log(`backend ${session.name}: ${session.description}`);
  const cancellation = cancelOnSignals(out.error);
  const deps = gateDeps(session, { onEvent: progressPrinter(out.log), signal: cancellation.signal });
  const result = await watchGates(request, deps).finally(async () => {
    cancellation.dispose();
    await closeSession(session, out);
  });
  const simulated = session.simulated ? ' (simulated)' : '';
  out.log(`${result.verdict}${simulated}: ${result.reason}`);
  try {
    out.log(`report: ${(await writeGateReports(result, options.reportDir)).join(', ')}`);
  } catch (error) {
    out.error(`tollgate: could not write the report: ${errorText(error)}`);
  }
  return result.exitCode;
}
