import { dirname, join } from 'node:path';
import type { BackendChoice } from '../backends/backend';
import type { BackendOptions } from '../backends/create-backend';
import type { ScenarioName } from '../backends/memory-scenarios';
import type { Ledger } from '../ledger/ledger';
import type { ReleaseManifest } from '../targets/manifest';
import { DEFAULT_LEDGER } from './options';

/** What the commands that open a session (deploy, approve, rollback, gate) say about its backend. */
export interface BackendFlags {
  backend: BackendChoice;
  /** The policy environment: its manifest environment names the trace source. */
  env: string;
  /** The JSON-lines ledger; none: the command records nothing (a memory ledger, or an unused file). */
  ledgerFile?: string;
  /** Another ledger for aws and local (GitHub Deployments, in a workflow). */
  ledger?: Ledger;
  /** The simulation's flags, which `memory` needs (the actions offer only aws and local). */
  memory?: {
    scenario: ScenarioName;
    seed: number;
    rps: number;
    stable: string;
    /** Default: memory-state.json beside the ledger file. */
    stateFile?: string | undefined;
  };
}

/** The flags every session command parses with commander (the memory ones are ignored elsewhere). */
interface SessionCommandFlags {
  backend: BackendChoice;
  env: string;
  /** The JSON-lines ledger; a command that records nothing has none. */
  ledger?: string;
  stable: string;
  state?: string | undefined;
}

/**
 * A command's parsed flags as `BackendFlags`; `simulation` is what the memory backend plays (the command's own
 * --scenario/--seed/--rps, or fixed ones for a command that plays none), `ledger` another ledger to record in.
 */
export function sessionBackendFlags(
  flags: SessionCommandFlags,
  simulation: { scenario: ScenarioName; seed: number; rps: number },
  ledger?: Ledger,
): BackendFlags {
  const { scenario, seed, rps } = simulation;
  return {
    backend: flags.backend,
    env: flags.env,
    ...(flags.ledger === undefined ? {} : { ledgerFile: flags.ledger }),
    ...(ledger ? { ledger } : {}),
    memory: { scenario, seed, rps, stable: flags.stable, stateFile: flags.state },
  };
}

/** The composition root's options for the chosen backend. */
export function backendOptions(flags: BackendFlags, manifest: ReleaseManifest): BackendOptions {
  if (flags.backend === 'memory') {
    if (!flags.memory) throw new Error('the memory backend needs its simulation flags');
    const { scenario, seed, rps, stable } = flags.memory;
    const stateFile =
      flags.memory.stateFile ??
      (flags.ledgerFile ? join(dirname(flags.ledgerFile), 'memory-state.json') : undefined);
    return {
      backend: 'memory',
      scenario,
      seed,
      requestsPerSecond: rps,
      initialStable: stable,
      ...(stateFile ? { stateFile } : {}),
      ...(flags.ledgerFile ? { ledgerFile: flags.ledgerFile } : {}),
    };
  }
  const traceSource = manifest.environments[flags.env]?.traceSource;
  return {
    backend: flags.backend,
    ledgerFile: flags.ledgerFile ?? DEFAULT_LEDGER,
    ...(flags.ledger ? { ledger: flags.ledger } : {}),
    ...(traceSource ? { traceSource } : {}),
  };
}
