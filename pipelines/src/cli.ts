import { Command, CommanderError } from 'commander';
import { approveCommand } from './cli/approve-command';
import { deployCommand } from './cli/deploy-command';
import { gateCommand, withGateOptions } from './cli/gate-command';
import { checkBackendFlags, DEFAULT_LEDGER, wholeNumber, withSession, withTarget } from './cli/options';
import { consoleOutput, type Output } from './cli/output';
import { planCommand } from './cli/plan-command';
import { rollbackCommand, withRollbackOptions } from './cli/rollback-command';
import { statusCommand } from './cli/status-command';
import { errorText } from './errors/error-text';
import { InputError } from './errors/input-error';
import { LedgerError } from './ledger/ledger';
import { PolicyError } from './policy/policy-error';
import { EXIT, EXIT_CODES_HELP, GATE_EXIT_CODES_HELP, ROLLBACK_EXIT_CODES_HELP } from './record/exit-codes';
import { NothingToApproveError } from './release/approve';

/** Builds the `tollgate` program; actions report their exit code through `setExit`. */
function buildProgram(out: Output, setExit: (code: number) => void): Command {
  const program = new Command('tollgate')
    .description('Canary releases for AWS workloads, gated on CloudWatch alarms and X-Ray latency.')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({ writeOut: (s) => out.log(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) })
    .exitOverride()
    .showHelpAfterError();

  withTarget(program.command('plan'))
    .description('print the target, how it is released, and the steps a release would take; nothing moves')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => setExit(await planCommand(options, out)));

  withSession(program.command('deploy'))
    .description(
      'release a version: reconcile, preflight, stage, shift and bake each step, promote or roll back',
    )
    .option(
      '--override-alarms <reason>',
      'release even though a gating alarm is in ALARM; the reason is recorded',
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options, command: Command) => {
      checkBackendFlags(command);
      setExit(await deployCommand(options, out));
    });

  withSession(program.command('approve'))
    .description(
      'let a held step pass (who and why are recorded), then carry the release on through its plan',
    )
    .requiredOption('--reason <text>', 'why the held step may pass')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options, command: Command) => {
      checkBackendFlags(command);
      setExit(await approveCommand(options, out));
    });

  withRollbackOptions(withTarget(program.command('rollback')))
    .description(
      'return a workload environment to the release before the live one (from the ledger) or to a named version: all at once, no analysis; records who and why',
    )
    .addHelpText('after', ROLLBACK_EXIT_CODES_HELP)
    .action(async (options, command: Command) => {
      checkBackendFlags(command);
      setExit(await rollbackCommand(options, out));
    });

  withGateOptions(withTarget(program.command('gate')))
    .description(
      "watch an environment's gates over a window without deploying (a bake between environments, or 'is it healthy now?'); nothing moves",
    )
    .addHelpText('after', GATE_EXIT_CODES_HELP)
    .action(async (options, command: Command) => {
      checkBackendFlags(command);
      setExit(await gateCommand(options, out));
    });

  program
    .command('status')
    .description('list recent releases from the ledger, newest first, open ones included')
    .option('-w, --workload <name>', 'only this workload')
    .option('-e, --env <name>', 'only this environment')
    .option('-n, --limit <n>', 'at most this many', wholeNumber(1, 10_000), 10)
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

/** Every failure gets a sentence and a documented code; a stack trace only for what is truly a bug. */
function exitCodeForError(error: unknown, out: Output): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.badInput;
  if (error instanceof PolicyError || error instanceof InputError) {
    out.error(`tollgate: ${error.message}`);
    return EXIT.badInput;
  }
  if (error instanceof LedgerError) {
    out.error(`tollgate: ${error.message}`);
    return EXIT.unrecorded;
  }
  if (error instanceof NothingToApproveError) {
    out.error(`tollgate: ${error.message}`);
    return EXIT.rolledBack;
  }
  out.error(`tollgate: internal error (please report it): ${errorText(error)}`);
  if (error instanceof Error && error.stack) out.error(error.stack);
  return EXIT.rolledBack;
}
