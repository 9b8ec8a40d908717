import { FileLedger } from '../ledger/file-ledger';
import type { Ledger } from '../ledger/ledger';
import { MemoryLedger } from '../ledger/memory-ledger';
import { createMemoryPlatform, type MemoryPlatform } from '../platforms/memory-platform';
import { createMemoryState, type MemoryPlatformState } from '../platforms/memory-state';
import { MemoryAlarms } from '../signals/memory-alarms';
import type { TraceTiming } from '../signals/ports';
import { SyntheticTraces, type TraceArrival, type VersionProfile } from '../signals/synthetic-traces';
import { VirtualClock } from '../time/clock';
import type { BackendSession, BackendTarget } from './backend';
import {
  canaryProfile,
  SCENARIOS,
  type ScenarioName,
  STABLE_PROFILE,
  scheduleScenario,
} from './memory-scenarios';
import { loadWorld, type MemoryWorld, saveWorld } from './memory-store';

export interface MemoryBackendOptions {
  scenario: ScenarioName;
  seed: number;
  requestsPerSecond: number;
  /** The stable version of a workload the simulation has not seen yet. */
  initialStable: string;
  /** JSON-lines ledger file; none keeps the ledger in memory. */
  ledgerFile?: string;
  /** Where the simulated platforms keep their state between runs; none keeps it in memory. */
  stateFile?: string;
  /** Virtual time to start at (default: now, or later if an earlier run's simulation got there). */
  startAt?: number;
  /** How late simulated traces arrive (default: like X-Ray, 2–25 s late, some twice, out of order). */
  arrival?: TraceArrival;
  timing?: TraceTiming;
}

/** The simulation's own handles, for tests that inject faults or change a version mid-release. */
export interface MemorySession extends BackendSession {
  memory: {
    clock: VirtualClock;
    platform: MemoryPlatform;
    alarms: MemoryAlarms;
    traces: SyntheticTraces;
    state: MemoryPlatformState;
  };
}

/** X-Ray indexes traces tens of seconds late and returns some twice across pages. */
const XRAY_LIKE_ARRIVAL: TraceArrival = {
  minDelayMs: 2_000,
  maxDelayMs: 25_000,
  duplicateShare: 0.01,
  shuffle: true,
};
const XRAY_LIKE_TIMING: TraceTiming = { settleMs: 30_000, overlapMs: 60_000 };

/**
 * The `memory` backend: an in-memory platform with the target's real capabilities, alarms and seeded
 * synthetic traces acting out a scenario under a virtual clock. Nothing real moves; every record and
 * report says so.
 */
export async function openMemoryBackend(
  target: BackendTarget,
  options: MemoryBackendOptions,
): Promise<MemorySession> {
  const world = await loadWorld(options.stateFile);
  const clock = new VirtualClock(Math.max(options.startAt ?? Date.now(), world.clock));
  const now = () => clock.now();
  const key = `${target.workload}/${target.environment.name}`;
  const state = world.workloads[key] ?? createMemoryState(target.workload, options.initialStable, now());
  world.workloads[key] = state;
  const platform = createMemoryPlatform({ state, capabilities: target.environment.capabilities, now });
  const alarms = new MemoryAlarms(now, target.environment.target.alarms);
  const traces = new SyntheticTraces({
    requestsPerSecond: options.requestsPerSecond,
    seed: options.seed,
    shareAt: (version, at) => platform.shareAt(version, at),
    profiles: profiles(state, target.version, options.scenario),
    now,
    arrival: options.arrival ?? XRAY_LIKE_ARRIVAL,
    timing: options.timing ?? XRAY_LIKE_TIMING,
  });
  scheduleScenario(options.scenario, clock, alarms, target.environment.gates?.alarms ?? []);
  return {
    name: 'memory',
    simulated: true,
    description: `simulated (in memory, nothing real moves): ${SCENARIOS[options.scenario]}`,
    clock,
    signals: { alarms, traces },
    ledger: ledgerFor(options),
    platform,
    memory: { clock, platform, alarms, traces, state },
    close: () => saveWorld(options.stateFile, { ...world, clock: clock.now() } satisfies MemoryWorld),
  };
}

function ledgerFor(options: MemoryBackendOptions): Ledger {
  return options.ledgerFile ? new FileLedger(options.ledgerFile) : new MemoryLedger();
}

/** Every version the platform knows is healthy, except the one being released, which plays the scenario. */
function profiles(
  state: MemoryPlatformState,
  version: string,
  scenario: ScenarioName,
): Record<string, VersionProfile> {
  const known = [state.stable.version, ...state.prepared.map((revision) => revision.version)];
  const result: Record<string, VersionProfile> = Object.fromEntries(known.map((v) => [v, STABLE_PROFILE]));
  const canary = canaryProfile(scenario);
  if (canary) result[version] = canary;
  else delete result[version];
  return result;
}
