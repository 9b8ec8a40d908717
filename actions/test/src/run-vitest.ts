import { spawn } from 'node:child_process';
import type { VitestCommand } from './vitest-command';

/**
 * Runs vitest with its output going straight to the step's log and resolves with its exit code
 * (`null` when a signal ended it). The run's verdict is read from the report, not from this code.
 */
export function runVitest(command: VitestCommand): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command.command, command.args, {
      cwd: command.cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      shell: false,
    });
    child.once('error', reject);
    child.once('close', (code) => resolvePromise(code));
  });
}
