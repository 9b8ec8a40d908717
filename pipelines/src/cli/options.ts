import { type Command, InvalidArgumentError, Option } from 'commander';
import { BACKENDS } from '../backends/backend';
import { SCENARIO_NAMES, SCENARIOS } from '../backends/memory-scenarios';
import { InputError } from '../errors/input-error';
import { ARTIFACT_HELP } from '../inputs/artifact-input';
import { DEFAULT_MANIFEST } from '../targets/load-manifest';

export const DEFAULT_LEDGER = '.tollgate/ledger.jsonl';

export function wholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

/** --policy, --env and --manifest: which workload environment, checked against which targets. */
export function withTarget(command: Command): Command {
  return command
    .addOption(new Option('-p, --policy <file>', 'the workload policy (YAML)').makeOptionMandatory())
    .addOption(new Option('-e, --env <name>', 'the environment in the policy').makeOptionMandatory())
    .option('-m, --manifest <file>', 'the release manifest describing the targets', DEFAULT_MANIFEST);
}

/** What `deploy` and `approve` share: the version, who, the backend and where records and reports go. */
export function withSession(command: Command): Command {
  return withTarget(command)
    .requiredOption('-v, --version <version>', 'the release version (what traces are annotated with)')
    .option('--actor <name>', 'who is releasing', process.env.GITHUB_ACTOR ?? process.env.USER ?? 'unknown')
    .addOption(
      new Option(
        '--backend <name>',
        "where traffic moves: memory = a simulated platform, nothing real moves; aws = the target's own, in its Region (AWS_ENDPOINT_URL redirects every call); local = the project's local cloud (`npm run local-cloud`; AWS_ENDPOINT_URL names it, default http://127.0.0.1:4599)",
      )
        .choices(BACKENDS)
        .default('memory'),
    )
    .addOption(
      new Option(
        '--scenario <name>',
        `memory backend: how the new version behaves: ${SCENARIO_NAMES.map((n) => `${n} (${SCENARIOS[n]})`).join('; ')}`,
      )
        .choices(SCENARIO_NAMES)
        .default('healthy'),
    )
    .option('--artifact <source>', ARTIFACT_HELP)
    .option('--stable <version>', 'memory backend: the stable version of a workload it has not seen yet', '1')
    .option('--seed <n>', 'memory backend: seed of the simulated traffic', wholeNumber(1, 2 ** 31 - 1), 1)
    .option('--rps <n>', 'memory backend: simulated requests per second', wholeNumber(1, 100_000), 50)
    .option('--state <file>', "memory backend: the simulated platforms' state (default: beside the ledger)")
    .option('--ledger <file>', 'release ledger (JSON lines)', DEFAULT_LEDGER)
    .option('--report-dir <dir>', 'where the markdown and JSON reports go', '.tollgate/reports');
}

/** Flags that only shape the simulation; with a real backend they would be silently ignored. */
const MEMORY_ONLY = ['scenario', 'stable', 'seed', 'rps', 'state'] as const;

/** Refuses memory-backend flags given with another backend, before anything is opened. */
export function checkBackendFlags(command: Command): void {
  const backend = command.opts().backend as string;
  if (backend === 'memory') return;
  const given = MEMORY_ONLY.filter((name) => command.getOptionValueSource(name) === 'cli');
  if (given.length > 0) {
    const flags = given.map((name) => `--${name}`).join(', ');
    throw new InputError(
      `${flags} only shape${given.length > 1 ? '' : 's'} the simulation (--backend memory); --backend ${backend} does not take ${given.length > 1 ? 'them' : 'it'}`,
    );
  }
}
