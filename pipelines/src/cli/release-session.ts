import type { BackendChoice, BackendSession } from '../backends/backend';
import { openBackend } from '../backends/create-backend';
import type { ScenarioName } from '../backends/memory-scenarios';
import { errorText } from '../errors/error-text';
import { releaseArtifact } from '../inputs/artifact-input';
import { actorName, releaseVersion } from '../inputs/release-inputs';
import { environmentOf, loadPolicyFile } from '../policy/load-policy';
import type { ReleaseDeps, ReleaseRequest } from '../release/context';
import type { ReleaseResult } from '../release/ledger-sync';
import { reportContext } from '../report/report-context';
import { writeReports } from '../report/write-reports';
import { loadManifestFile } from '../targets/load-manifest';
import { backendOptions, sessionBackendFlags } from './backend-flags';
import { cancelOnSignals } from './cancellation';
import type { Output } from './output';
import { progressPrinter } from './progress';

/** The options `deploy` and `approve` share. */
export interface SessionOptions {
  policy: string;
  env: string;
  manifest: string;
  version: string;
  actor: string;
  backend: BackendChoice;
  /** What to stage (see ARTIFACT_HELP); default from the target's imageRepository. */
  artifact?: string;
  scenario: ScenarioName;
  stable: string;
  seed: number;
  rps: number;
  ledger: string;
  /** The simulated platforms' state file; default: memory-state.json beside the ledger. */
  state?: string;
  reportDir: string;
}

export interface PreparedSession {
  request: ReleaseRequest;
  session: BackendSession;
}

/** Validates every input (manifest, policy, environment, version, actor), then opens the backend. */
export async function openSession(options: SessionOptions): Promise<PreparedSession> {
  const manifest = await loadManifestFile(options.manifest);
  const loaded = await loadPolicyFile(options.policy, manifest);
  const environment = environmentOf(loaded, options.env);
  const version = releaseVersion(options.version, loaded.policy.versionFormat);
  const actor = actorName(options.actor);
  const workload = loaded.policy.workload;
  const artifact = releaseArtifact(options.artifact, environment.target, version);
  const flags = sessionBackendFlags(options, options);
  const session = await openBackend({ workload, environment, version }, backendOptions(flags, manifest));
  const request: ReleaseRequest = {
    workload,
    environment,
    version,
    actor,
    ...(artifact ? { artifact } : {}),
  };
  return { request, session };
}

/**
 * Runs a release (or approval) against an open session with live progress, cancellation on signals,
 * and the reports written to `reportDir`; prints how it ended and returns the exit code.
 */
export async function runInSession(
  { session, request }: PreparedSession,
  options: Pick<SessionOptions, 'reportDir'>,
  out: Output,
  run: (deps: ReleaseDeps) => Promise<ReleaseResult>,
): Promise<number> {
  out.log(`backend ${session.name}: ${session.description}`);
  const cancellation = cancelOnSignals(out.error);
  const deps: ReleaseDeps = {
    platform: session.platform,
    signals: session.signals,
    clock: session.clock,
    ledger: session.ledger,
    backend: session.name,
    onEvent: progressPrinter(out.log),
    signal: cancellation.signal,
    publish: (record) => writeReports(record, options.reportDir, reportContext(request.environment)),
  };
  const result = await run(deps).finally(cancellation.dispose);
  await closeSession(session, out);
  return printResult(result, session, out);
}

/** Saves what the session must keep (the simulated platforms' state); a failure is said, not thrown. */
export async function closeSession(session: BackendSession, out: Output): Promise<void> {
  await session.close().catch((error: unknown) => {
    out.error(`tollgate: could not save the simulated platforms' state: ${errorText(error)}`);
  });
}

/** How a release (or rollback) ended, where its reports are and what could not be written; its exit code. */
export function printResult(result: ReleaseResult, session: BackendSession, out: Output): number {
  const simulated = session.simulated ? ' (simulated)' : '';
  out.log(`${result.record.outcome}${simulated}: ${result.record.reason}`);
  if (result.reports.length > 0) out.log(`report: ${result.reports.join(', ')}`);
  for (const problem of result.problems) out.error(`tollgate: ${problem}`);
  return result.exitCode;
}
