import type { DeployRequest, ReleaseWorld } from './release-world';

/**
 * Starts a release and kills it (SIGKILL: no handler runs, nothing is cleaned up) as soon as it prints a
 * line matching `pattern`; resolves once the process is gone, with what it printed. Fails if the process
 * ends first, or prints no such line within `withinMs`.
 */
export async function killedAt(
  world: ReleaseWorld,
  request: DeployRequest,
  pattern: RegExp,
  withinMs = 60_000,
): Promise<string> {
  const running = await world.spawnDeploy(request);
  await running.line(pattern, withinMs);
  running.child.kill('SIGKILL');
  const { signal, out } = await running.done;
  if (signal !== 'SIGKILL') throw new Error(`the release ended by itself (signal ${signal}):\n${out}`);
  return out;
}
