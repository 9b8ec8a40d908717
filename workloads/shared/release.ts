/**
 * The release a process runs as. Every trace, log line and metric is tagged with it so the Tollgate gate can
 * compare canary against baseline. A missing RELEASE_VERSION is reported as `unreleased` (visible in traces,
 * never silently merged into a real version).
 */
export const UNRELEASED = 'unreleased';

export function releaseFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.RELEASE_VERSION?.trim();
  return value ? value : UNRELEASED;
}
