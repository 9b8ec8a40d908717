import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { ActionName } from '@tollgate/actions/bundle/bundle-action';
import { startActionStep } from '@tollgate/actions/bundle/run-bundled-action';
import type { VersionFault } from '../../src/faults/fault-plan';
import { alarmsSettled, lambdaArtifact, type ReleaseWorld, releaseWorld } from './release-world';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const PAYMENTS = { workload: 'payments', environment: 'production' };
export const PAYMENTS_FUNCTION = 'securecart-production-payments';
const ALARMS = ['securecart-production-payments-errors', 'securecart-production-payments-p99-latency'];
/** As the Lambda end-to-end tests: time ×20 and ~80 requests/s keep a healthy canary's alarms quiet. */
const WORLD = { scale: 20, rps: 80 };
const SHA = '4f1c3a9e0b7d2c6f8a5e1d3b9c7f0a2e4d6b8c1a';

/** payments' policy for these tests: a canary that a healthy version passes in a bake or two. */
const POLICY = `workload: payments
platform: lambda
versionFormat: semver
environments:
  production:
    strategy: { canary: { weight: 20, bake: 3m } }
    gates:
      alarms: [${ALARMS.join(', ')}]
      latency: { p50Increase: 10% }
      minSamples: 100
      maxBake: 10m
      onInconclusive: rollback
`;

export type Entry = 'main' | 'post';

/**
 * A local cloud running payments with traffic, and the bundled actions run against it as GitHub's runner
 * runs them: the runner's variables only (none of this test process's), the step's inputs over a base
 * every action here shares (the workload, its policy, the local backend, a file ledger, a report folder).
 */
export async function actionWorld(
  options: { fault?: Omit<VersionFault, 'workload'>; settle?: boolean } = {},
) {
  const world = await releaseWorld(PAYMENTS, WORLD);
  if (options.fault) world.cloud.faults.versions.push({ workload: PAYMENTS.workload, ...options.fault });
  const lambda = new LambdaClient({ ...world.aws, maxAttempts: 1 });
  const policy = join(world.dir, 'payments.yml');
  await writeFile(policy, POLICY);
  const base: Record<string, string> = {
    ...PAYMENTS,
    policy,
    backend: 'local',
    ledger: 'file',
    'ledger-file': join(world.dir, 'ledger.jsonl'),
    'report-dir': join(world.dir, 'reports'),
  };
  const artifact = await lambdaArtifact(world, PAYMENTS.workload);
  if (options.settle !== false) await alarmsSettled(world, ALARMS);
  const step = (
    action: ActionName,
    entry: Entry,
    given: Record<string, string>,
    state?: Record<string, string>,
  ) =>
    startActionStep({
      action,
      entry,
      inputs: { ...base, ...(action === 'deploy' ? { artifact } : {}), ...given },
      env: runnerEnv(world),
      event: { ref: 'refs/heads/main', after: SHA },
      cwd: ROOT,
      ...(state ? { state } : {}),
    });
  const run = async (
    action: ActionName,
    entry: Entry,
    given: Record<string, string>,
    state?: Record<string, string>,
  ) => (await step(action, entry, given, state)).done;
  return { world, lambda, step, run };
}

/** The variables a runner sets for a step (and nothing of this test process's own environment). */
function runnerEnv(world: ReleaseWorld): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTOR: 'octocat',
    GITHUB_REPOSITORY: 'securecart/shop',
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: ROOT,
    RUNNER_TEMP: tmpdir(),
    AWS_ENDPOINT_URL: world.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
