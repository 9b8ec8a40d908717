import type { Revision } from '../platforms/port';
import type { Release } from './context';
import { changeTraffic, type Ending, trafficNow } from './platform-ops';

/**
 * Makes the released revision stable: Tollgate promotes an engine-driven release itself; for a
 * platform-driven one the platform already did, and this confirms it (a no-op where it is stable).
 */
export async function promote(release: Release, revision: Revision, index: number): Promise<Ending> {
  const { deps, log } = release;
  const { platform } = deps;
  const byPlatform = platform.driver === 'platform';
  const what = byPlatform ? `confirm ${revision.version} as stable` : `promote ${revision.version}`;
  const failed = await changeTraffic(
    platform,
    release.stable,
    log,
    what,
    () => platform.promote(revision),
    deps.signal,
  );
  if (failed) return failed;
  const traffic = await trafficNow(platform);
  const message = byPlatform
    ? `the platform finished; ${revision.version} is stable: ${traffic}`
    : `promoted ${revision.version}: ${traffic}`;
  log.emit('promote', message, { step: index, weight: 100 });
  const gates = byPlatform ? "every gate of the platform's schedule" : 'every gate';
  return { outcome: 'promoted', verdict: 'pass', reason: `${revision.version} passed ${gates}` };
}
