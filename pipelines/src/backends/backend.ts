import type { Ledger } from '../ledger/ledger';
import type { Platform } from '../platforms/port';
import type { PolicyEnvironment } from '../policy/target-checks';
import type { BackendName } from '../record/record';
import type { Signals } from '../signals/ports';
import type { Clock } from '../time/clock';

/** What one release (or approval) runs against: every port, built for one backend. */
export interface BackendSession {
  name: BackendName;
  /** True when no real traffic moves (the in-memory simulation); reports and logs say so. */
  simulated: boolean;
  /** One line for the log: what this backend is and what it acts out. */
  description: string;
  clock: Clock;
  signals: Signals;
  ledger: Ledger;
  platform: Platform;
  /** Saves what must outlive the run (the simulated platform's state); safe to call once. */
  close(): Promise<void>;
}

/** The one workload environment a session is for. */
export interface BackendTarget {
  workload: string;
  environment: PolicyEnvironment;
  /** The version being released: a simulation acts out its scenario on this one. */
  version: string;
}

/**
 * The backends `--backend` accepts: `memory` simulates, `aws` moves real traffic (or that of whatever
 * AWS-compatible endpoint AWS_ENDPOINT_URL names), `local` releases on the project's own local cloud
 * (infra/local) through the same adapters, on its scaled clock.
 */
export const BACKENDS = ['memory', 'aws', 'local'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
