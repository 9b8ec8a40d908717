import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { deployCommand } from './cli/deploy-command';
import { EXIT, EXIT_CODES_HELP } from './cli/exit-codes';
import { consoleOutput, type Output } from './cli/output';
import { planCommand } from './cli/plan-command';
import { statusCommand } from './cli/status-command';
import { PolicyError } from './policy/policy-error';
import { InputError } from './release/input-error';
import { SCENARIOS } from './simulation/scenarios';

const DEFAULT_LEDGER = '.tollgate/ledger.jsonl';

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return value;
}

/** Builds the `tollgate` program; `run` resolves to the exit code instead of exiting the process. */
function buildProgram(out: Output, setExit: (code: number) => void): Command {
  const program = new Command('tollgate')
    .description('Canary releases for AWS workloads, gated on CloudWatch alarms and X-Ray latency.')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({ writeOut: (s) => out.log(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) })
    .exitOverride()
    .showHelpAfterError();

  const policyOption = () =>
    new Option('-p, --policy <file>', 'the workload policy (YAML)').makeOptionMandatory();
  const envOption = () =>
    new Option('-e, --env <name>', 'the environment in the policy').makeOptionMandatory();

  program
    .command('plan')
    .description('print the traffic steps a release would take, without moving anything')
    .addOption(policyOption())
    .addOption(envOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => setExit(await planCommand(options, out)));

  program
    .command('deploy')
    .description(
      'release a version: reconcile, preflight, shift and bake each step, then promote or roll back',
    )
    .addOption(policyOption())
    .addOption(envOption())
    .requiredOption('-v, --version <version>', 'the version to release')
    .addOption(
      new Option(
        '--backend <name>',
        'where traffic moves; memory = in-memory platform with simulated signals',
      )
        .choices(['memory'])
        .default('memory'),
    )
    .addOption(
      new Option(
        '--scenario <name>',
        `how the simulated new version behaves: ${Object.keys(SCENARIOS).join(', ')}`,
      )
        .choices(Object.keys(SCENARIOS))
        .default('healthy'),
    )
    .option(
      '--stable <version>',
      'the version live before the release (default: last promoted in the ledger, else 1)',
    )
    .option('--seed <n>', 'seed of the simulated traffic', positiveInteger, 1)
    .option('--rps <n>', 'simulated requests per second', positiveInteger, 50)
    .option(
      '--override-alarms <reason>',
      'release even though a gating alarm is in ALARM; the reason is recorded',
    )
    .option('--ledger <file>', 'release ledger (JSON lines)', DEFAULT_LEDGER)
    .option('--report-dir <dir>', 'where the markdown and JSON reports go', '.tollgate/reports')
    .option('--actor <name>', 'who is releasing', process.env.GITHUB_ACTOR ?? process.env.USER ?? 'unknown')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => setExit(await deployCommand(options, out)));

  program
    .command('status')
    .description('list recent releases from the ledger, newest first')
    .option('-w, --workload <name>', 'only this workload')
    .option('-e, --env <name>', 'only this environment')
    .option('-n, --limit <n>', 'at most this many', positiveInteger, 10)
    .option('--json', 'print JSON instead of lines')
    .option('--ledger <file>', 'release ledger (JSON lines)', DEFAULT_LEDGER)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => setExit(await statusCommand(options, out)));

  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns its exit code. */
export async function runCli(argv: readonly string[], out: Output = consoleOutput): Promise<number> {
  let exitCode: number = EXIT.promoted;
  const program = buildProgram(out, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeForError(error, out);
  }
}

function exitCodeForError(error: unknown, out: Output): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : EXIT.badInput;
  }
  if (error instanceof PolicyError || error instanceof InputError) {
    out.error(`tollgate: ${error.message}`);
    return EXIT.badInput;
  }
  out.error(`tollgate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.rolledBack;
}
