import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GitError } from './git-error';

const run = promisify(execFile);

/** A long history's log fits; the default (1 MiB) does not. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/** Runs git (no shell: arguments are passed as they are) in `cwd` and returns its standard output. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd, maxBuffer: MAX_OUTPUT, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    throw new GitError(gitFailure(cwd, args, error));
  }
}

function gitFailure(cwd: string, args: readonly string[], error: unknown): string {
  const failure = error as NodeJS.ErrnoException & { stderr?: string };
  if (failure.code === 'ENOENT') {
    return `git is not installed (no "git" on PATH); the release version is read from git tags`;
  }
  const reason = (failure.stderr ?? '').trim().split('\n')[0] || failure.message;
  return `git ${args[0]} failed in ${cwd}: ${reason}`;
}
