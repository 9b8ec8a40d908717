import { errorText } from '../errors/error-text';
import type { DeploymentStatus, PlatformDrivenPlatform, Revision } from '../platforms/port';
import { CancelledError, untilAborted } from '../time/abortable';
import { formatDuration } from '../time/duration';
import { cancelledReason } from './bake';
import type { Release } from './context';
import { judgeStep } from './judge-step';
import { changeTraffic, type Ending, rollBack, trafficNow } from './platform-ops';
import { promote } from './promote';

/** How long past its own schedule a platform may take to move on before the release gives up on it. */
const STALL_GRACE_MS = 5 * 60_000;
/** A platform with no announced next shift (App Runner's in-place update) gets this long to finish. */
const UNSCHEDULED_WAIT_MS = 30 * 60_000;

/**
 * Steps a release that the platform drives (CodeDeploy, App Runner): it starts the platform's schedule,
 * judges each step until just before the platform's own next shift, and stops the deployment with a
 * rollback when a step fails or is still undecided by then. `resumed` is a deployment of this revision
 * that an interrupted run left running.
 */
export async function runPlatformSteps(
  release: Release,
  platform: PlatformDrivenPlatform,
  revision: Revision,
  resumed?: DeploymentStatus,
): Promise<Ending> {
  const { deps, log, record } = release;
  const deployStartedAt = deps.clock.now();
  const started = resumed ?? (await startDeployment(release, platform, revision));
  if ('outcome' in started) return started;
  let status = started;
  for (const [index, step] of record.plan.entries()) {
    if (index < status.stepIndex && status.state === 'running') continue;
    const reached = await waitForStep(release, platform, revision, index, status);
    if ('outcome' in reached) return reached;
    status = reached;
    if (step.weight === 100) {
      if (step.bakeMs === 0) return promote(release, revision, index);
      return judgeReplacement(release, revision, index, resumed ? release.record.startedAt : deployStartedAt);
    }
    log.emit(
      'shift',
      `step ${index + 1}/${record.plan.length}: the platform moved ${step.weight}% of traffic to ${revision.version}`,
      {
        step: index,
        weight: step.weight,
      },
    );
    const now = deps.clock.now();
    const shiftAt = status.nextShiftAt ?? now + step.bakeMs;
    const decideBy = Math.max(now, shiftAt - platform.capabilities.decisionLeadMs);
    const window = decideBy - now;
    const ending = await judgeStep(release, index, revision, {
      bakeMs: window,
      maxBakeMs: window,
      platformStep: index,
    });
    if (ending) return ending;
  }
  throw new Error('plan has no 100% step'); // planSteps always ends at 100%; reaching here is a bug
}

/**
 * A platform that cannot split traffic (App Runner) has just given the new version all of it: bake it,
 * judged against the stable version's traffic in the same length of time before the release began, and
 * redeploy the stable version if a gate fails.
 */
async function judgeReplacement(
  release: Release,
  revision: Revision,
  index: number,
  deployStartedAt: number,
): Promise<Ending> {
  const { bakeMs } = release.record.plan[index] as { bakeMs: number };
  release.log.emit(
    'shift',
    `the platform gave ${revision.version} all traffic; judging it for ${formatDuration(bakeMs)}`,
    {
      step: index,
      weight: 100,
    },
  );
  const baselineWindow = { from: deployStartedAt - bakeMs, until: deployStartedAt };
  const ending = await judgeStep(release, index, revision, { bakeMs, maxBakeMs: bakeMs, baselineWindow });
  return ending ?? promote(release, revision, index);
}

async function startDeployment(
  release: Release,
  platform: PlatformDrivenPlatform,
  revision: Revision,
): Promise<DeploymentStatus | Ending> {
  const { deps, log, record } = release;
  let status: DeploymentStatus | undefined;
  const start = async () => {
    status = await platform.start(revision, record.plan);
  };
  const failed = await changeTraffic(
    platform,
    release.stable,
    log,
    `start the deployment of ${revision.version}`,
    start,
    deps.signal,
  );
  if (failed) return failed;
  const started = status as DeploymentStatus;
  log.emit(
    'platform',
    `deployment ${started.id} of ${revision.version} started: ${platform.capabilities.description}`,
  );
  return started;
}

/**
 * Polls the platform until its deployment reaches step `index` (for the last step: succeeds). The
 * deployment stopping or failing by itself, or stalling past its schedule, ends the release.
 */
async function waitForStep(
  release: Release,
  platform: PlatformDrivenPlatform,
  revision: Revision,
  index: number,
  last: DeploymentStatus,
): Promise<DeploymentStatus | Ending> {
  const { deps, log, gates } = release;
  const final = index === release.record.plan.length - 1;
  const giveUpAt = (last.nextShiftAt ?? deps.clock.now() + UNSCHEDULED_WAIT_MS) + STALL_GRACE_MS;
  let status = last;
  let errors = 0;
  for (;;) {
    if (status.state === 'stopped' || status.state === 'failed') {
      const reason = `the platform ${status.state === 'stopped' ? 'stopped' : 'failed'} deployment ${status.id}: ${status.reason ?? 'no reason given'}`;
      log.emit('platform', reason);
      return rollBack(platform, release.stable, log, { verdict: 'error', reason });
    }
    if (final ? status.state === 'succeeded' : status.stepIndex >= index) return status;
    const now = deps.clock.now();
    if (now >= giveUpAt) {
      const reason = `deployment ${status.id} did not move on within ${formatDuration(STALL_GRACE_MS)} of its schedule`;
      return rollBack(platform, release.stable, log, { verdict: 'error', reason });
    }
    const untilShift =
      status.nextShiftAt !== undefined && status.nextShiftAt > now ? status.nextShiftAt - now : Infinity;
    await deps.clock.sleep(Math.min(untilShift, gates.pollInterval), deps.signal);
    const read = await readDeployment(platform, deps.signal);
    if (read.error === undefined && read.deployment?.revision.ref === revision.ref) {
      status = read.deployment;
      errors = 0;
      continue;
    }
    errors += read.error === undefined ? gates.maxConsecutiveErrors : 1;
    if (read.cancelled || errors >= gates.maxConsecutiveErrors) {
      const reason = read.cancelled
        ? cancelledReason(deps.signal)
        : (read.error ??
          `the platform no longer shows a deployment of ${revision.version}: ${await trafficNow(platform)}`);
      log.emit('failed', reason);
      return rollBack(platform, release.stable, log, { verdict: 'error', reason });
    }
  }
}

async function readDeployment(
  platform: PlatformDrivenPlatform,
  signal: AbortSignal | undefined,
): Promise<{ deployment?: DeploymentStatus; error?: string; cancelled?: true }> {
  try {
    const state = await untilAborted(platform.current(), signal);
    return state.deployment ? { deployment: state.deployment } : {};
  } catch (error) {
    if (error instanceof CancelledError) return { error: error.message, cancelled: true };
    return { error: `could not read ${platform.workload}: ${errorText(error)}` };
  }
}
