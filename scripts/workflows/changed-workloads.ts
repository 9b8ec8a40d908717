/**
 * The workloads a push to main releases, as the JSON matrix deploy.yml runs (`{"include":[{workload,
 * container}]}`), from the files `git diff --name-only <before> <after>` lists; why each is released goes
 * to stderr.
 *
 *   npx tsx scripts/workflows/changed-workloads.ts --before <sha> --after <sha>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultPolicyFile } from '@tollgate/pipelines/policy/load-policy';
import { loadReleasedWorkloads, type ReleasedWorkload } from './released-workloads';
import { REPOSITORY_ROOT } from './workflow-document';

/** `github.event.before` of a push that created the branch: there is nothing to diff against. */
const NO_COMMIT = /^0{40}$/;

/** What changed: the files, or everything (`all` says why). */
export type Changes = readonly string[] | { readonly all: string };

/** A workload to release and the first changed path that made it one. */
export interface WorkloadChange extends ReleasedWorkload {
  readonly because: string;
}

/**
 * The workspace folders each package under `workloads/` depends on at run time (its `dependencies`,
 * followed through other workspace packages), by folder name: `payments → ['workloads/shared']`. Test-only
 * packages (`devDependencies`, like `@securecart/testing`) are left out: they do not change what ships.
 */
export function runtimeWorkspaceDependencies(root = REPOSITORY_ROOT): Map<string, string[]> {
  const folders = readdirSync(path.join(root, 'workloads'), { withFileTypes: true }).filter((entry) =>
    entry.isDirectory(),
  );
  const manifests = new Map<string, { name: string; dependencies: string[] }>();
  for (const folder of folders) {
    const file = path.join(root, 'workloads', folder.name, 'package.json');
    if (!existsSync(file)) continue;
    const json: { name?: string; dependencies?: Record<string, string> } = JSON.parse(
      readFileSync(file, 'utf8'),
    );
    manifests.set(folder.name, { name: json.name ?? '', dependencies: Object.keys(json.dependencies ?? {}) });
  }
  const folderOf = new Map([...manifests].map(([folder, { name }]) => [name, folder]));
  const resolve = (folder: string, seen: Set<string>): void => {
    for (const dependency of manifests.get(folder)?.dependencies ?? []) {
      const inner = folderOf.get(dependency);
      if (inner === undefined || seen.has(inner)) continue;
      seen.add(inner);
      resolve(inner, seen);
    }
  };
  return new Map(
    [...manifests.keys()].map((folder) => {
      const seen = new Set<string>();
      resolve(folder, seen);
      return [folder, [...seen].sort().map((inner) => `workloads/${inner}`)];
    }),
  );
}

/**
 * The released workloads a change touches: a file under `workloads/<name>/`, under a workspace package it
 * depends on at run time, or its policy `pipelines/policies/<name>.yml`. `{ all }` (a first push, or a
 * `before` commit the clone does not have) releases every one.
 */
export function workloadsToRelease(
  changed: Changes,
  released: readonly ReleasedWorkload[],
  dependencies: ReadonlyMap<string, readonly string[]>,
): WorkloadChange[] {
  return released.flatMap((entry) => {
    if ('all' in changed) return [{ ...entry, because: changed.all }];
    const prefixes = [`workloads/${entry.workload}`, ...(dependencies.get(entry.workload) ?? [])].map(
      (folder) => `${folder}/`,
    );
    const policy = defaultPolicyFile(entry.workload);
    const because = changed.find(
      (file) => file === policy || prefixes.some((prefix) => file.startsWith(prefix)),
    );
    return because === undefined ? [] : [{ ...entry, because }];
  });
}

/** The matrix deploy.yml fans out over. */
export function releaseMatrix(changes: readonly WorkloadChange[]): {
  include: { workload: string; container: boolean }[];
} {
  return { include: changes.map(({ workload, container }) => ({ workload, container })) };
}

/** The files between two commits, or everything when there is no `before` to diff against. */
export function changedFiles(before: string, after: string, root = REPOSITORY_ROOT): Changes {
  if (NO_COMMIT.test(before)) return { all: 'the first push of the branch releases every workload' };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git('cat-file', '-e', `${before}^{commit}`);
  } catch {
    return { all: `${before} is not in the history (a force push?): releasing every workload` };
  }
  return git('diff', '--name-only', '-z', before, after).split('\0').filter(Boolean);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { before: { type: 'string' }, after: { type: 'string' } } });
  const [before, after] = [values.before, values.after];
  if (!before || !after) {
    process.stderr.write('usage: changed-workloads.ts --before <commit> --after <commit>\n');
    process.exit(2);
  }
  const { released } = await loadReleasedWorkloads();
  const changes = workloadsToRelease(changedFiles(before, after), released, runtimeWorkspaceDependencies());
  for (const change of changes) process.stderr.write(`${change.workload}: ${change.because}\n`);
  if (changes.length === 0) process.stderr.write('no released workload changed\n');
  process.stdout.write(`${JSON.stringify(releaseMatrix(changes))}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main().catch((error: unknown) => {
    process.stderr.write(`changed-workloads: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
