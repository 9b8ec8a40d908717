import type { DeploymentStatus, Revision, TrafficState } from '../platforms/port';
import { describeTraffic } from '../platforms/port';
import type { Release } from './context';
import { type Ending, rollBack } from './platform-ops';

/** How the platform stood when the release began, and what of an interrupted release it picks up. */
export interface Reconciled {
  traffic: TrafficState;
  /** The same version was already on its way: the release continues from here instead of starting. */
  resume?: { revision: Revision; weight: number; deployment?: DeploymentStatus };
}

/**
 * Finishes what an interrupted release left behind before anything new happens: a canary (or a running
 * deployment) of the version being released is resumed where it stands; any other is rolled back. If
 * that rollback fails the release ends `failed`, saying how traffic stands.
 */
export async function reconcile(release: Release, traffic: TrafficState): Promise<Reconciled | Ending> {
  const { log, deps, request } = release;
  const running = traffic.deployment?.state === 'running' ? traffic.deployment : undefined;
  const inFlight = inFlightRevision(traffic);
  if (!inFlight) return { traffic };
  if (inFlight.version === request.version) {
    const message = `found ${describeTraffic(traffic)} from an interrupted release of ${request.version}; resuming at ${traffic.canaryWeight}%`;
    log.emit('reconcile', message, { weight: traffic.canaryWeight });
    const resume: Reconciled['resume'] = { revision: inFlight, weight: traffic.canaryWeight };
    if (running) resume.deployment = running;
    return { traffic, resume };
  }
  const message = `found ${describeTraffic(traffic)} left by an interrupted release; rolling ${inFlight.version} back before releasing ${request.version}`;
  log.emit('reconcile', message, { weight: traffic.canaryWeight });
  const cause = {
    verdict: 'error' as const,
    reason: `could not clear ${inFlight.version}, left by an interrupted release`,
  };
  const ending = await rollBack(deps.platform, traffic.stable, log, cause);
  if (ending.outcome === 'failed') return ending;
  return { traffic: await deps.platform.current() };
}

/** The revision a release left in flight: a deployment the platform is running, or a canary with traffic. */
export function inFlightRevision(traffic: TrafficState): Revision | undefined {
  if (traffic.deployment?.state === 'running') return traffic.deployment.revision;
  return traffic.canary && traffic.canaryWeight > 0 ? traffic.canary : undefined;
}
