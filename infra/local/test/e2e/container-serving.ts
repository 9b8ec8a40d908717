import type { LocalCloud } from '../../src/local-cloud';

/** How many of `requests` GET /health answers through a workload's front door each release gave. */
export type ServedReleases = Record<string, number>;

const REQUEST_TIMEOUT_MS = 2_000;

/**
 * Asks the workload's entry point (its ALB listener or Ingress) `requests` times, one after another, which
 * release answers: every SecureCart container names its release in the body of GET /health. Only 200
 * answers count; anything else is recorded under its status (`'500'`), so a test sees it.
 */
export async function servedReleases(
  cloud: LocalCloud,
  workload: string,
  requests: number,
  environment = 'production',
): Promise<ServedReleases> {
  const entry = cloud.entryPoint(workload, environment);
  if (entry.kind !== 'http') throw new Error(`${workload} is not served over HTTP (${entry.kind})`);
  const served: ServedReleases = {};
  for (let sent = 0; sent < requests; sent += 1) {
    const answer = await fetch(`${entry.url}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = (await answer.json().catch(() => ({}))) as { release?: unknown };
    const key = answer.status === 200 && typeof body.release === 'string' ? body.release : `${answer.status}`;
    served[key] = (served[key] ?? 0) + 1;
  }
  return served;
}
