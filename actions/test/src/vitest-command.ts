import { sep } from 'node:path';

/** Where vitest is and which configuration it runs the workload's tests with. */
export interface VitestSetup {
  /** Absolute path of vitest's command-line entry (`vitest.mjs`), run with this process's Node. */
  cli: string;
  /** Absolute path of the workload's own vitest config, when it has one. */
  workloadConfig?: string;
}

/** One vitest run, spawned without a shell. */
export interface VitestCommand {
  command: string;
  args: string[];
  cwd: string;
}

/**
 * `vitest run` of exactly one workload's tests, with the live `default` reporter on the log and the
 * `json` reporter written to `reportFile`. With a config of its own the workload folder is vitest's
 * root; without one, vitest finds the repository's config in `cwd` and the absolute folder filter
 * (trailing separator: `payments/` never matches `payments-v2/`) keeps the run to the workload.
 * Naming the reporters replaces vitest's defaults, so its own `github-actions` reporter does not
 * annotate the failures a second time. `--includeTaskLocation` gives each test its declaration line,
 * the annotation's line when the error's stack does not pass through the test file.
 */
export function vitestCommand(
  setup: VitestSetup,
  workloadDir: string,
  reportFile: string,
  cwd: string,
): VitestCommand {
  const configArgs = setup.workloadConfig ? ['--config', setup.workloadConfig, '--root', workloadDir] : [];
  return {
    command: process.execPath,
    args: [
      setup.cli,
      'run',
      `${workloadDir}${sep}`,
      ...configArgs,
      '--includeTaskLocation',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
    ],
    cwd,
  };
}
