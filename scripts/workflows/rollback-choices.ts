/**
 * Keeps rollback.yml's `workload` and `environment` choices equal to what Tollgate releases: the
 * workloads of the release manifest that have a policy, and the manifest's environments.
 *
 *   npx tsx scripts/workflows/rollback-choices.ts          # write (`npm run workflows`)
 *   npx tsx scripts/workflows/rollback-choices.ts --check  # exit 1 if rollback.yml drifted
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { isSeq, parseDocument } from 'yaml';
import { loadReleasedWorkloads, type ReleasedWorkload } from './released-workloads';
import { REPOSITORY_ROOT, WORKFLOWS_DIR } from './workflow-document';

export const ROLLBACK_WORKFLOW = `${WORKFLOWS_DIR}/rollback.yml`;

/** The choices of the rollback workflow's inputs, by input name. */
export type RollbackChoices = Readonly<Record<'workload' | 'environment', readonly string[]>>;

/** What rollback.yml must offer: released workloads and the manifest's environments, sorted. */
export function rollbackChoices(
  manifest: ReleaseManifest,
  released: readonly ReleasedWorkload[],
): RollbackChoices {
  return {
    workload: released.map((entry) => entry.workload).sort(),
    environment: Object.keys(manifest.environments).sort(),
  };
}

const optionsPath = (input: string) => ['on', 'workflow_dispatch', 'inputs', input, 'options'];

/** The choices a rollback workflow's text offers now (empty where an input has none). */
export function currentChoices(text: string): RollbackChoices {
  const document = parseDocument(text);
  const read = (input: string) => {
    const node = document.getIn(optionsPath(input), true);
    return isSeq(node) ? node.items.map((item) => String((item as { value?: unknown }).value ?? item)) : [];
  };
  return { workload: read('workload'), environment: read('environment') };
}

/** The workflow's text with exactly these choices, its comments and the rest kept. */
export function withRollbackChoices(text: string, choices: RollbackChoices): string {
  const document = parseDocument(text);
  for (const [input, options] of Object.entries(choices)) {
    if (!document.hasIn(['on', 'workflow_dispatch', 'inputs', input])) {
      throw new Error(`${ROLLBACK_WORKFLOW}: no workflow_dispatch input "${input}"`);
    }
    document.setIn(optionsPath(input), document.createNode([...options]));
  }
  return document.toString({ lineWidth: 0 });
}

/** How the text's choices differ from what they must be, one line per input; empty when equal. */
export function choicesDrift(text: string, choices: RollbackChoices): string[] {
  const current = currentChoices(text);
  return (Object.keys(choices) as (keyof RollbackChoices)[]).flatMap((input) => {
    const [have, want] = [current[input].join(', '), choices[input].join(', ')];
    return have === want
      ? []
      : [`${ROLLBACK_WORKFLOW} input "${input}" offers [${have}], must offer [${want}]`];
  });
}

async function main(): Promise<void> {
  const file = path.join(REPOSITORY_ROOT, ROLLBACK_WORKFLOW);
  const text = readFileSync(file, 'utf8');
  const { manifest, released } = await loadReleasedWorkloads();
  const choices = rollbackChoices(manifest, released);
  if (process.argv.includes('--check')) {
    const drift = choicesDrift(text, choices);
    for (const line of drift) process.stderr.write(`${line}\n`);
    if (drift.length > 0) {
      process.stderr.write('run `npm run workflows` to regenerate it\n');
      process.exit(1);
    }
    return;
  }
  writeFileSync(file, withRollbackChoices(text, choices));
  console.log(`wrote ${ROLLBACK_WORKFLOW}: ${choices.workload.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main().catch((error: unknown) => {
    process.stderr.write(`rollback-choices: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
