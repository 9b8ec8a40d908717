import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { BACKENDS, type BackendChoice, type BackendSession } from '../backends/backend';
import { openBackend } from '../backends/create-backend';
import { releaseArtifact } from '../inputs/artifact-input';
import { actorName, reasonText, releaseVersion } from '../inputs/release-inputs';
import type { Ledger } from '../ledger/ledger';
import { environmentOf, loadPolicyFile } from '../policy/load-policy';
import { EXIT } from '../record/exit-codes';
import type { ReleaseDeps } from '../release/context';
import {
  type ManualRollbackRequest,
  type ManualRollbackResult,
  PlatformUnreadableError,
  runManualRollback,
} from '../release/manual-rollback';
import { type ReportContext, reportContext } from '../report/report-context';
import { writeReports } from '../report/write-reports';
import { loadManifestFile } from '../targets/load-manifest';
import { backendOptions, sessionBackendFlags } from './backend-flags';
import { cancelOnSignals } from './cancellation';
import { DEFAULT_LEDGER } from './options';
import type { Output } from './output';
import { progressPrinter } from './progress';
import { closeSession, printResult } from './release-session';

/** What `tollgate rollback` (and the rollback action) takes. */
export interface RollbackOptions {
  policy: string;
  env: string;
  manifest: string;
  /** The version to return to; none: the release before the live one, from the ledger. */
  toVersion?: string;
  reason: string;
  actor: string;
  backend: BackendChoice;
  /** The JSON-lines ledger (unless a ledger is passed to `openRollbackSession`). */
  ledger: string;
  /** memory backend: the stable version of a workload it has not seen yet. */
  stable: string;
  /** memory backend: the simulated platforms' state; default memory-state.json beside the ledger. */
  state?: string;
  reportDir: string;
}

/** The options of `tollgate rollback` after --policy, --env and --manifest (see `withTarget`). */
export function withRollbackOptions(command: Command): Command {
  return command
    .option('--to-version <version>', 'the version to return to (default: the release before the live one)')
    .requiredOption('--reason <text>', 'why the rollback is done; recorded with who did it')
    .option(
      '--actor <name>',
      'who is rolling back',
      process.env.GITHUB_ACTOR ?? process.env.USER ?? 'unknown',
    )
    .addOption(
      new Option(
        '--backend <name>',
        "where traffic moves: memory = a simulated platform; aws = the target's own; local = the project's local cloud",
      )
        .choices(BACKENDS)
        .default('memory'),
    )
    .option('--stable <version>', 'memory backend: the stable version of a workload it has not seen yet', '1')
    .option('--state <file>', "memory backend: the simulated platforms' state (default: beside the ledger)")
    .option('--ledger <file>', 'release ledger (JSON lines)', DEFAULT_LEDGER)
    .option('--report-dir <dir>', 'where the markdown and JSON reports go', '.tollgate/reports');
}

export interface PreparedRollback {
  request: ManualRollbackRequest;
  session: BackendSession;
}

/**
 * Validates every input (manifest, policy, environment, version, actor, reason), then opens the backend.
 * `ledger` replaces the JSON-lines file on the aws and local backends (GitHub Deployments, in a workflow).
 */
export async function openRollbackSession(
  options: RollbackOptions,
  ledger?: Ledger,
): Promise<PreparedRollback> {
  const manifest = await loadManifestFile(options.manifest);
  const loaded = await loadPolicyFile(options.policy, manifest);
  const environment = environmentOf(loaded, options.env);
  const format = loaded.policy.versionFormat;
  const toVersion =
    options.toVersion === undefined ? undefined : releaseVersion(options.toVersion, format, '--to-version');
  const actor = actorName(options.actor);
  const reason = reasonText(options.reason, '--reason');
  const workload = loaded.policy.workload;
  const target = { workload, environment, version: toVersion ?? '' };
  // The simulation plays no scenario on a rollback: every version it holds behaves as it did.
  const flags = sessionBackendFlags(options, { scenario: 'healthy', seed: 1, rps: 50 }, ledger);
  const session = await openBackend(target, backendOptions(flags, manifest));
  const request: ManualRollbackRequest = {
    workload,
    environment,
    actor,
    reason,
    ...(toVersion === undefined ? {} : { toVersion }),
    artifactFor: (version) => releaseArtifact(undefined, environment.target, version),
  };
  return { request, session };
}

/**
 * The ports of a session as a rollback uses them, reports written to `<reportDir>/rollbacks/` with the
 * environment's console links.
 */
export function rollbackDeps(
  session: BackendSession,
  reportDir: string,
  context: ReportContext,
  extra: Pick<ReleaseDeps, 'onEvent' | 'signal'> = {},
): ReleaseDeps {
  return {
    platform: session.platform,
    signals: session.signals,
    clock: session.clock,
    ledger: session.ledger,
    backend: session.name,
    ...extra,
    // Apart from the reports of the release that once promoted the version, which would be replaced.
    publish: (record) => writeReports(record, join(reportDir, 'rollbacks'), context),
  };
}

/** Returns a workload environment to an earlier release at once; prints how it ended. */
export async function rollbackCommand(options: RollbackOptions, out: Output): Promise<number> {
  const { request, session } = await openRollbackSession(options);
  out.log(`backend ${session.name}: ${session.description}`);
  const cancellation = cancelOnSignals(out.error);
  const deps = rollbackDeps(session, options.reportDir, reportContext(request.environment), {
    onEvent: progressPrinter(out.log),
    signal: cancellation.signal,
  });
  let result: ManualRollbackResult;
  try {
    result = await runManualRollback(request, deps);
  } catch (error) {
    if (!(error instanceof PlatformUnreadableError)) throw error;
    out.error(`tollgate: ${error.message}`);
    return EXIT.rolledBack;
  } finally {
    cancellation.dispose();
    await closeSession(session, out);
  }
  return printResult(result, session, out);
}
