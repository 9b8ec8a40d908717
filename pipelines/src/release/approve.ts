import { errorText } from '../errors/error-text';
import { describeTraffic, type Revision } from '../platforms/port';
import type { ReleaseRecord } from '../record/record';
import { type Release, type ReleaseDeps, type ReleaseRequest, resumeRelease } from './context';
import { runEngineSteps } from './engine-steps';
import { concludeRelease, type ReleaseResult, recordProgress } from './ledger-sync';

/** There is no held release to approve (exit 1); nothing moved. */
export class NothingToApproveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToApproveError';
  }
}

/**
 * A person lets a held step pass: the approval (who, why, when) is recorded on the held release, which
 * then carries on with the rest of its plan, each later step gated as usual. Approving is the only way
 * a held step passes; re-running the deploy bakes it again with fresh evidence instead.
 */
export async function approveRelease(
  request: ReleaseRequest,
  reason: string,
  deps: ReleaseDeps,
): Promise<ReleaseResult> {
  const held = await findHeld(request, deps);
  const release = resumeRelease(request, deps, held);
  const { platform } = deps;
  const heldStep = release.record.steps.at(-1);
  const revision = release.record.toRevision;
  if (platform.driver !== 'engine' || !heldStep || !revision) {
    throw new NothingToApproveError(`${held.id} was held by a platform that cannot hold; nothing to approve`);
  }
  const gone = await stillHeld(release, revision, heldStep.weight);
  if (gone) return concludeRelease(release, { outcome: 'abandoned', verdict: 'error', reason: gone });
  const now = deps.clock.now();
  release.record.approvals.push({
    by: request.actor,
    reason,
    at: now,
    step: heldStep.index,
    weight: heldStep.weight,
  });
  heldStep.approvedBy = request.actor;
  release.record.outcome = 'in-progress';
  release.log.emit(
    'approve',
    `${request.actor} approved step ${heldStep.index + 1} at ${heldStep.weight}%: ${reason}`,
    {
      step: heldStep.index,
      weight: heldStep.weight,
    },
  );
  await recordProgress(release, 'approval');
  const ending = await runEngineSteps(release, platform, revision, { fromIndex: heldStep.index + 1 });
  return concludeRelease(release, ending);
}

async function findHeld(request: ReleaseRequest, deps: ReleaseDeps): Promise<ReleaseRecord> {
  const query = { workload: request.workload, environment: request.environment.name };
  const records = await deps.ledger.list(query);
  const held = records.find((record) => record.outcome === 'held' && record.toVersion === request.version);
  if (held) return held;
  const latest = records[0];
  const last = latest ? `; the latest release is ${latest.toVersion}, ${latest.outcome}` : '';
  throw new NothingToApproveError(
    `no held release of ${request.version} for ${query.workload} in ${query.environment}${last}`,
  );
}

/** Why the platform no longer holds the release (someone rolled it back meanwhile), or undefined. */
async function stillHeld(release: Release, revision: Revision, weight: number): Promise<string | undefined> {
  try {
    const traffic = await release.deps.platform.current();
    if (traffic.canary?.ref === revision.ref && traffic.canaryWeight === weight) return undefined;
    return `the platform no longer holds ${revision.version} at ${weight}% (it shows ${describeTraffic(traffic)}); nothing was approved`;
  } catch (error) {
    throw new NothingToApproveError(
      `could not read the platform, so nothing was approved: ${errorText(error)}`,
    );
  }
}
