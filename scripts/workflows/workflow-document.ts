import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root: workflows, actions and the manifest are read relative to it. */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where GitHub reads workflows from, relative to the repository root. */
export const WORKFLOWS_DIR = '.github/workflows';

/** A step as the workflow file writes it (after the workflow parser accepted the file). */
export interface WorkflowStep {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
}

/** `permissions:` at either level: `read-all`, `write-all` or a scope → access mapping. */
export type Permissions = string | Readonly<Record<string, string>>;

/** A job: runs steps, or calls a reusable workflow (`uses:`). */
export interface WorkflowJob {
  readonly permissions?: Permissions;
  readonly environment?: string | { readonly name?: string };
  readonly concurrency?: string | { readonly group?: string; readonly 'cancel-in-progress'?: unknown };
  readonly steps?: readonly WorkflowStep[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}

/** One workflow file: its name in the folder, its text, and its data. */
export interface WorkflowDocument {
  /** The file name, `deploy.yml`; where findings point. */
  readonly file: string;
  readonly content: string;
  readonly permissions?: Permissions | undefined;
  readonly concurrency?: WorkflowJob['concurrency'] | undefined;
  readonly jobs: Readonly<Record<string, WorkflowJob>>;
}

/** A workflow from its text. The structure is the workflow parser's to validate; this reads what checks need. */
export function workflowDocument(file: string, content: string): WorkflowDocument {
  const data = (parse(content) ?? {}) as Partial<WorkflowDocument>;
  return {
    file,
    content,
    permissions: data.permissions,
    concurrency: data.concurrency,
    jobs: data.jobs ?? {},
  };
}

/** Every `*.yml`/`*.yaml` workflow of the repository, by file name. */
export function loadWorkflows(root = REPOSITORY_ROOT): WorkflowDocument[] {
  const dir = path.join(root, WORKFLOWS_DIR);
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => workflowDocument(file, readFileSync(path.join(dir, file), 'utf8')));
}

/** Each step of each job, with where it is (`jobs.staging.steps[3]`) for findings. */
export function stepsOf(workflow: WorkflowDocument): { job: string; where: string; step: WorkflowStep }[] {
  return Object.entries(workflow.jobs).flatMap(([job, definition]) =>
    (definition.steps ?? []).map((step, index) => ({ job, where: `jobs.${job}.steps[${index}]`, step })),
  );
}

/** The workflow file a job-level `uses: ./.github/workflows/x.yml` calls, as its file name; else undefined. */
export function calledWorkflowFile(job: WorkflowJob): string | undefined {
  const prefix = `./${WORKFLOWS_DIR}/`;
  return job.uses?.startsWith(prefix) ? job.uses.slice(prefix.length) : undefined;
}
