import type { LocalCloud } from '../local-cloud';
import type { TrafficStats } from './entry-point';
import { startTraffic, type Traffic } from './load-generator';

/** Traffic to every workload environment a local cloud runs, one steady stream each. */
export interface CloudTraffic {
  /** Stops every stream; what each sent, by `<workload>/<environment>`. */
  stop(): Promise<Record<string, TrafficStats>>;
}

export function startCloudTraffic(cloud: LocalCloud, requestsPerSecond: number, seed = 1): CloudTraffic {
  const streams = new Map<string, Traffic>();
  for (const [workload, entry] of Object.entries(cloud.manifest.workloads)) {
    for (const environment of Object.keys(entry.environments)) {
      const traffic = startTraffic({
        workload,
        entry: cloud.entryPoint(workload, environment),
        requestsPerSecond,
        seed: seed + streams.size,
      });
      streams.set(`${workload}/${environment}`, traffic);
    }
  }
  return {
    stop: async () =>
      Object.fromEntries(
        await Promise.all([...streams].map(async ([key, traffic]) => [key, await traffic.stop()] as const)),
      ),
  };
}
