import { errorText } from '../errors/error-text';
import { InputError } from '../errors/input-error';
import { formatPlan } from '../plan/plan';
import { type Revision, type TrafficState, UnknownWorkloadError } from '../platforms/port';
import { CancelledError, untilAborted } from '../time/abortable';
import type { Release } from './context';
import { runEngineSteps } from './engine-steps';
import { closeAbandoned } from './ledger-sync';
import { type Ending, rollBack } from './platform-ops';
import { runPlatformSteps } from './platform-steps';
import { preflight } from './preflight';
import { type Reconciled, reconcile } from './reconcile';

/** Plan → reconcile → preflight → stage the revision → the steps, by whichever side drives traffic. */
export async function drive(release: Release, read: TrafficState | Ending): Promise<Ending> {
  const { request, deps, log, record } = release;
  log.emit(
    'plan',
    `plan for ${request.workload} → ${request.version}:\n${formatPlan(record.plan).join('\n')}`,
  );
  if ('outcome' in read) {
    log.emit('blocked', read.reason);
    return read;
  }
  const reconciled = await reconcile(release, read);
  await closeAbandoned(release, read);
  if ('outcome' in reconciled) return reconciled;
  const { traffic, resume } = reconciled;
  release.stable = traffic.stable;
  record.fromVersion = traffic.stable.version;
  record.fromRevision = traffic.stable;
  if (!resume && traffic.stable.version === request.version) {
    log.emit('promote', `${request.version} is already stable; nothing to do`, { weight: 100 });
    return { outcome: 'promoted', verdict: 'pass', reason: `${request.version} was already stable` };
  }
  const checked = await preflight(
    deps.signals.alarms,
    release.gates,
    deps.clock.now(),
    log,
    request.alarmOverride,
  );
  if (!checked.ok) {
    log.emit('blocked', checked.reason, { readings: checked.readings });
    const ending: Ending = { outcome: 'blocked', verdict: 'fail', reason: checked.reason };
    return resume ? rollBack(deps.platform, release.stable, log, ending) : ending;
  }
  const revision = resume?.revision ?? (await stage(release));
  if ('outcome' in revision) return revision;
  release.revision = revision;
  record.toRevision = revision;
  return runSteps(release, revision, resume);
}

function runSteps(release: Release, revision: Revision, resume: Reconciled['resume']): Promise<Ending> {
  const { platform } = release.deps;
  if (platform.driver === 'engine')
    return runEngineSteps(release, platform, revision, { fromWeight: resume?.weight ?? 0 });
  return runPlatformSteps(release, platform, revision, resume?.deployment);
}

/** How the platform stands before anything happens; an unknown workload is bad input (exit 2). */
export async function readPlatform(release: Release): Promise<TrafficState | Ending> {
  const { deps, request } = release;
  try {
    return await untilAborted(deps.platform.current(), deps.signal);
  } catch (error) {
    if (error instanceof UnknownWorkloadError) throw new InputError(error.message);
    const reason = `could not read the platform of ${request.workload}, so nothing moved: ${errorText(error)}`;
    return { outcome: 'blocked', verdict: 'error', reason };
  }
}

/** Stages the new revision without traffic; a platform that cannot stage it leaves traffic untouched. */
async function stage(release: Release): Promise<Revision | Ending> {
  const { deps, log, request } = release;
  const artifact = { version: request.version, ...(request.artifact ? { source: request.artifact } : {}) };
  try {
    const revision = await untilAborted(deps.platform.prepare(artifact), deps.signal);
    log.emit('prepare', `staged ${revision.version} as ${revision.ref}, without traffic`);
    return revision;
  } catch (error) {
    const cancelled = error instanceof CancelledError;
    const reason = cancelled ? error.message : `could not stage ${request.version}: ${errorText(error)}`;
    log.emit('blocked', reason);
    return { outcome: 'blocked', verdict: 'error', reason };
  }
}
