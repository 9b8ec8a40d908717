import { errorText } from '../errors/error-text';
import { InputError } from '../errors/input-error';
import { LedgerError } from '../ledger/ledger';
import {
  type ArtifactSource,
  describeTraffic,
  type Revision,
  type TrafficState,
  UnknownWorkloadError,
} from '../platforms/port';
import type { PolicyEnvironment } from '../policy/target-checks';
import type { GateReading } from '../record/reading';
import type { StepRecord } from '../record/record';
import { untilAborted, withTimeout } from '../time/abortable';
import { type Release, type ReleaseDeps, startRelease } from './context';
import { beginRecord, concludeRelease, type ReleaseResult } from './ledger-sync';
import { type Ending, rollBack, trafficNow } from './platform-ops';
import { type RollbackTarget, rollbackTarget } from './rollback-target';

export interface ManualRollbackRequest {
  workload: string;
  /** The policy environment, already bound to its target and release method. */
  environment: PolicyEnvironment;
  /** The version to return to; without it, the release before the live one (see `rollbackTarget`). */
  toVersion?: string;
  /** Who asked for the rollback, and why: both recorded. */
  actor: string;
  reason: string;
  /**
   * Where the platform finds a version it needs an artifact for (a container target's image, see
   * `releaseArtifact`); none: the platform finds the version by itself (a published Lambda version).
   */
  artifactFor?: (version: string) => ArtifactSource | undefined;
}

/** What a manual rollback left: its record (outcome `rolled-back` or `failed`), reports, and the versions. */
export interface ManualRollbackResult extends ReleaseResult {
  /** The version live (stable) before the rollback. */
  fromVersion: string;
  /** The version asked for: live at 100% when the outcome is `rolled-back`. */
  toVersion: string;
}

/**
 * `tollgate rollback`: returns a workload environment to an earlier promoted release at once, without
 * gates or analysis (alarms firing are why people roll back, so they block nothing). The platform is
 * read and the ledger consulted first (an unknown version, or nothing to return to, is bad input and
 * nothing is recorded); then the record opens, the platform finds the version and sends it all traffic,
 * and the rollback is `rolled-back` only if the platform then shows it stable at 100%, else `failed`
 * saying how traffic stands. Who and why are on the record; the reports are written before its end.
 */
export async function runManualRollback(
  request: ManualRollbackRequest,
  deps: ReleaseDeps,
): Promise<ManualRollbackResult> {
  const traffic = await readLive(request, deps);
  const target = await chooseTarget(request, deps, traffic);
  const release = startRollback(request, deps, traffic, target);
  await beginRecord(release);
  let ending: Ending;
  try {
    ending = await rollBackTo(release, target, request.artifactFor);
  } catch (error) {
    const reason = `the rollback stopped on an unexpected error: ${errorText(error)}; traffic: ${await trafficNow(deps.platform)}`;
    release.log.emit('failed', reason);
    ending = { outcome: 'failed', verdict: 'error', reason };
  }
  const result = await concludeRelease(release, ending);
  return { ...result, fromVersion: traffic.stable.version, toVersion: target.version };
}

/** How the platform stands; an unknown workload is bad input, an unreadable platform stops everything. */
async function readLive(request: ManualRollbackRequest, deps: ReleaseDeps): Promise<TrafficState> {
  try {
    return await untilAborted(deps.platform.current(), deps.signal);
  } catch (error) {
    if (error instanceof UnknownWorkloadError) throw new InputError(error.message);
    throw new PlatformUnreadableError(
      `could not read the platform of ${request.workload}, so nothing moved: ${errorText(error)}`,
    );
  }
}

async function chooseTarget(
  request: ManualRollbackRequest,
  deps: ReleaseDeps,
  traffic: TrafficState,
): Promise<RollbackTarget> {
  const scope = { workload: request.workload, environment: request.environment.name };
  let records: Awaited<ReturnType<ReleaseDeps['ledger']['list']>>;
  try {
    records = await deps.ledger.list(scope);
  } catch (error) {
    throw new LedgerError(
      `could not read the ledger to find what to roll back to, so nothing moved: ${errorText(error)}`,
    );
  }
  // A simulated release is no version to return a real workload to, nor the reverse.
  const here = records.filter((record) => record.backend === deps.backend);
  return rollbackTarget(here, scope, traffic.stable.version, request.toVersion);
}

/** The record of a rollback: all at once to the target, from what is live, marked as asked for. */
function startRollback(
  request: ManualRollbackRequest,
  deps: ReleaseDeps,
  traffic: TrafficState,
  target: RollbackTarget,
): Release {
  const releaseRequest = {
    workload: request.workload,
    environment: request.environment,
    version: target.version,
    actor: request.actor,
  };
  const release = startRelease(releaseRequest, deps);
  const { record } = release;
  record.id = `${record.id}/rollback`;
  record.plan = [{ weight: 100, bakeMs: 0 }];
  record.limits = [];
  record.fromVersion = traffic.stable.version;
  record.fromRevision = traffic.stable;
  record.manualRollback = { reason: request.reason };
  release.stable = traffic.stable;
  const which =
    target.chosen === 'named'
      ? `${target.version}, as named (promoted by ${target.release.id})`
      : `${target.version}, the release before ${traffic.stable.version} (${target.release.id})`;
  release.log.emit(
    'plan',
    `manual rollback of ${request.workload} in ${request.environment.name} by ${request.actor}: ${describeTraffic(traffic)} → ${which}, all at once, without analysis. Reason: ${request.reason}`,
  );
  return release;
}

/** Finds the target on the platform, sends it all traffic, then checks that the platform shows it so. */
async function rollBackTo(
  release: Release,
  target: RollbackTarget,
  artifactFor: ManualRollbackRequest['artifactFor'],
): Promise<Ending> {
  const { deps, log, record, request } = release;
  const revision = await findRevision(release, target, artifactFor);
  if ('outcome' in revision) return revision;
  record.toRevision = revision;
  const startedAt = deps.clock.now();
  const cause = { verdict: 'pass' as const, reason: `rolling back to ${target.version}` };
  const moved = await rollBack(deps.platform, revision, log, cause);
  const check = moved.outcome === 'failed' ? undefined : await checkLive(release, revision);
  const reading = check ?? trafficReading('error', moved.reason, deps.clock.now());
  record.steps.push(stepOf(reading, startedAt, deps.clock.now()));
  if (moved.outcome === 'failed') return moved;
  if (reading.verdict !== 'pass') {
    log.emit('failed', reading.reason);
    return { outcome: 'failed', verdict: reading.verdict, reason: reading.reason };
  }
  const asked = record.manualRollback?.reason ?? '';
  const reason = `rolled back to ${target.version} (${reading.reason}) at the request of ${request.actor}, all at once, without analysis: ${asked}`;
  return { outcome: 'rolled-back', verdict: 'pass', reason };
}

/** The revision of the target as the platform holds it; not finding it leaves traffic untouched. */
async function findRevision(
  release: Release,
  target: RollbackTarget,
  artifactFor: ManualRollbackRequest['artifactFor'],
): Promise<Revision | Ending> {
  const { deps, log } = release;
  try {
    const found = artifactFor?.(target.version);
    const artifact = { version: target.version, ...(found ? { source: found } : {}) };
    const revision = await untilAborted(deps.platform.prepare(artifact), deps.signal);
    log.emit('prepare', `found ${revision.version} on the platform as ${revision.ref}`);
    return revision;
  } catch (error) {
    const reason = `could not find ${target.version} on the platform, so nothing moved: ${errorText(error)}`;
    log.emit('blocked', reason);
    return { outcome: 'blocked', verdict: 'error', reason };
  }
}

/** The platform's own view after the rollback: the target stable, with no canary and no deployment running. */
async function checkLive(release: Release, revision: Revision): Promise<GateReading> {
  const now = release.deps.clock.now();
  const reading = (verdict: GateReading['verdict'], reason: string) => trafficReading(verdict, reason, now);
  try {
    // Bounded as every other read of the platform: a hung call must not hang a rollback already made.
    const traffic = await withTimeout(release.deps.platform.current(), 120_000, 'reading the platform');
    const running = traffic.deployment?.state === 'running';
    const live = traffic.stable.ref === revision.ref && traffic.canaryWeight === 0 && !running;
    if (live) return reading('pass', `${describeTraffic(traffic)}, as asked`);
    const still = running ? `; deployment ${traffic.deployment?.id} is still running` : '';
    return reading(
      'fail',
      `the rollback to ${revision.version} did not take: the platform shows ${describeTraffic(traffic)}${still}`,
    );
  } catch (error) {
    return reading(
      'error',
      `rolled back to ${revision.version}, but the platform could not be read to confirm it: ${errorText(error)}`,
    );
  }
}

function trafficReading(verdict: GateReading['verdict'], reason: string, at: number): GateReading {
  return { gate: 'platform', metric: 'traffic', verdict, reason, at, window: { from: at, to: at } };
}

function stepOf(reading: GateReading, startedAt: number, endedAt: number): StepRecord {
  const { verdict, reason } = reading;
  return {
    index: 0,
    weight: 100,
    bakeMs: 0,
    startedAt,
    endedAt,
    verdict,
    reason,
    polls: 1,
    readings: [reading],
  };
}

/** The platform could not be read before the rollback: nothing moved and nothing was recorded (exit 1). */
export class PlatformUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformUnreadableError';
  }
}
