import type { EngineDrivenPlatform, Revision } from '../platforms/port';
import { cancelledReason } from './bake';
import type { Release } from './context';
import { engineTiming, judgeStep } from './judge-step';
import { changeTraffic, type Ending, rollBack } from './platform-ops';
import { promote } from './promote';

/**
 * Steps a release that Tollgate drives: it sets each weight, bakes and judges the step, and only then
 * moves on, so no traffic moves past a step whose gates have not passed. Steps below `fromWeight` (a
 * resumed release) or before `fromIndex` (an approved one) are already done.
 */
export async function runEngineSteps(
  release: Release,
  platform: EngineDrivenPlatform,
  revision: Revision,
  start: { fromWeight?: number; fromIndex?: number },
): Promise<Ending> {
  const { deps, log, record } = release;
  for (const [index, step] of record.plan.entries()) {
    if (step.weight < (start.fromWeight ?? 0) || index < (start.fromIndex ?? 0)) continue;
    if (deps.signal?.aborted) {
      const reason = cancelledReason(deps.signal);
      log.emit('failed', reason);
      return rollBack(platform, release.stable, log, { verdict: 'error', reason });
    }
    if (step.weight === 100) return promote(release, revision, index);
    const label = `step ${index + 1}/${record.plan.length}`;
    const failed = await changeTraffic(
      platform,
      release.stable,
      log,
      `shift ${step.weight}% to ${revision.version}`,
      () => platform.shift(revision, step.weight),
      deps.signal,
    );
    if (failed) return failed;
    log.emit('shift', `${label}: ${step.weight}% of traffic on ${revision.version}`, {
      step: index,
      weight: step.weight,
    });
    const ending = await judgeStep(release, index, revision, engineTiming(release, step));
    if (ending) return ending;
  }
  throw new Error('plan has no 100% step'); // planSteps always ends at 100%; reaching here is a bug
}
