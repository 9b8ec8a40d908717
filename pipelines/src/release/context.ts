import type { Ledger } from '../ledger/ledger';
import type { ArtifactSource, Platform, Revision } from '../platforms/port';
import { type GatePolicy, UNGATED } from '../policy/schema';
import type { PolicyEnvironment } from '../policy/target-checks';
import type { ReleaseEvent } from '../record/events';
import type { BackendName, ReleaseRecord } from '../record/record';
import type { Signals } from '../signals/ports';
import type { Clock } from '../time/clock';
import { EventLog } from './events';
import { platformLimits } from './limits';

export interface ReleaseRequest {
  workload: string;
  /** The policy environment, already bound to its target and release method. */
  environment: PolicyEnvironment;
  version: string;
  artifact?: ArtifactSource;
  actor: string;
  /** Release despite gating alarms already in ALARM; the reason is recorded. */
  alarmOverride?: string;
}

export interface ReleaseDeps {
  platform: Platform;
  signals: Signals;
  clock: Clock;
  ledger: Ledger;
  backend: BackendName;
  onEvent?: (event: ReleaseEvent) => void;
  /** Aborted when the job is cancelled: the release stops what it waits on and rolls back. */
  signal?: AbortSignal;
  /** Writes the reports; runs before the ledger records the end, so a report exists whatever happens. */
  publish?: (record: ReleaseRecord) => Promise<string[]>;
}

/** One release as it runs: the request, its dependencies, and the record it keeps up to date. */
export interface Release {
  request: ReleaseRequest;
  deps: ReleaseDeps;
  gates: GatePolicy;
  log: EventLog;
  record: ReleaseRecord;
  /** The revision live before the release; what a rollback returns to. */
  stable: Revision;
  /** The revision being released, once staged. */
  revision?: Revision;
}

export function startRelease(request: ReleaseRequest, deps: ReleaseDeps): Release {
  const startedAt = deps.clock.now();
  const { environment } = request;
  const { capabilities } = environment;
  const record: ReleaseRecord = {
    id: `${request.workload}/${environment.name}/${request.version}/${startedAt}`,
    workload: request.workload,
    environment: environment.name,
    platform: environment.target.platform,
    backend: deps.backend,
    method: capabilities.method,
    driver: capabilities.driver,
    fromVersion: 'unknown',
    toVersion: request.version,
    actor: request.actor,
    startedAt,
    updatedAt: startedAt,
    outcome: 'in-progress',
    reason: 'started',
    plan: environment.steps,
    steps: [],
    approvals: [],
    limits: platformLimits(capabilities),
    events: [],
  };
  const log = new EventLog(deps.clock, record.events, deps.onEvent);
  const unknown: Revision = { version: 'unknown', ref: 'unknown' };
  return { request, deps, gates: environment.gates ?? UNGATED, log, record, stable: unknown };
}

/** Picks up a held release where it stopped, under its recorded plan. */
export function resumeRelease(request: ReleaseRequest, deps: ReleaseDeps, record: ReleaseRecord): Release {
  const copy = structuredClone(record);
  const log = new EventLog(deps.clock, copy.events, deps.onEvent);
  const stable = copy.fromRevision ?? { version: copy.fromVersion, ref: 'unknown' };
  const release: Release = {
    request,
    deps,
    gates: request.environment.gates ?? UNGATED,
    log,
    record: copy,
    stable,
  };
  if (copy.toRevision) release.revision = copy.toRevision;
  return release;
}
