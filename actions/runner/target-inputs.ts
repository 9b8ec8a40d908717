import { access } from 'node:fs/promises';
import { InputError } from '@tollgate/pipelines/errors/input-error';
import { defaultPolicyFile, type LoadedPolicy, loadPolicyFile } from '@tollgate/pipelines/policy/load-policy';
import type { PolicyEnvironment } from '@tollgate/pipelines/policy/target-checks';
import { DEFAULT_MANIFEST, loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ActionInputError } from './action-input-error';
import { choiceInput, optionalInput, requiredInput } from './inputs';

/** The backends an action takes; the simulated `memory` backend is the CLI's, never a workflow's. */
export const ACTION_BACKENDS = ['aws', 'local'] as const;
export type ActionBackend = (typeof ACTION_BACKENDS)[number];

/** One workload environment, validated: what every action that reads or moves a target starts from. */
export interface TargetInputs {
  workload: string;
  environmentName: string;
  environment: PolicyEnvironment;
  policy: LoadedPolicy;
  manifestFile: string;
  manifest: ReleaseManifest;
  backend: ActionBackend;
}

/**
 * Reads `workload`, `environment`, `policy`, `manifest` and `backend`, each checked against the files it
 * names, so that a typo is an error naming the input and what it could have been, before anything moves.
 */
export async function readTargetInputs(): Promise<TargetInputs> {
  const workload = requiredInput('workload', 'the workload, as the release manifest names it');
  const environmentName = requiredInput('environment', "an environment of the workload's policy");
  const backend = choiceInput('backend', ACTION_BACKENDS, 'aws');
  const manifestFile = optionalInput('manifest') ?? DEFAULT_MANIFEST;
  const manifest = await manifestAt(manifestFile);
  if (!manifest.workloads[workload]) {
    const known = Object.keys(manifest.workloads).sort().join(', ');
    throw new ActionInputError(`input "workload" is "${workload}"; ${manifestFile} has: ${known}`);
  }
  const policyFile = optionalInput('policy') ?? defaultPolicyFile(workload);
  await mustExist(policyFile, `input "policy": there is no policy at ${policyFile} for ${workload}`);
  const policy = await loadPolicyFile(policyFile, manifest);
  if (policy.policy.workload !== workload) {
    throw new ActionInputError(
      `input "policy" (${policyFile}) is the policy of ${policy.policy.workload}, not of input "workload" ${workload}`,
    );
  }
  const environment = policy.environments[environmentName];
  if (!environment) {
    const known = Object.keys(policy.environments).join(', ');
    throw new ActionInputError(`input "environment" is "${environmentName}"; ${policyFile} has: ${known}`);
  }
  return { workload, environmentName, environment, policy, manifestFile, manifest, backend };
}

async function manifestAt(file: string): Promise<ReleaseManifest> {
  await mustExist(file, `input "manifest": there is no release manifest at ${file}`);
  try {
    return await loadManifestFile(file);
  } catch (error) {
    if (error instanceof InputError) throw new ActionInputError(`input "manifest": ${error.message}`);
    throw error;
  }
}

async function mustExist(file: string, message: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new ActionInputError(message);
  }
}
