/**
 * The archive Tollgate's actions are published in (release-actions.yml): every `actions/<name>/action.yml`
 * with the bundles its `runs` executes, and the check that a published archive holds exactly the bytes a
 * rebuild from the same tag gives.
 *
 *   npx tsx scripts/workflows/actions-archive.ts pack --out tollgate-actions.zip
 *   npx tsx scripts/workflows/actions-archive.ts verify --published tollgate-actions.zip
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { actionContract } from './action-contract';
import { REPOSITORY_ROOT } from './workflow-document';

/**
 * Every entry gets the same time, built from local date parts when packing because zip stores local time:
 * the archive's bytes then depend only on the files, not on when or in which time zone it was packed.
 */
const entryTime = () => new Date(1980, 0, 1, 0, 0, 0);

/** The files published, by path from the repository root, sorted; a missing bundle is an error saying so. */
export function publishedFiles(root = REPOSITORY_ROOT): Map<string, Uint8Array> {
  const names = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(root, 'actions', entry.name, 'action.yml')),
    )
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new Error(`${root}/actions holds no action.yml`);
  const files = new Map<string, Uint8Array>();
  for (const name of names) {
    const folder = `actions/${name}`;
    const contract = actionContract(root, folder);
    for (const relative of ['action.yml', ...(contract?.entryPoints ?? [])]) {
      const file = `${folder}/${relative}`;
      if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run npm run bundle first`);
      files.set(file, readFileSync(path.join(root, file)));
    }
  }
  return files;
}

/** The archive of these files: the same files give the same bytes. */
export function packArchive(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const entries = [...files.keys()].sort().map((file) => [file, [files.get(file), { mtime: entryTime() }]]);
  return zipSync(Object.fromEntries(entries), { level: 9 });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** How a published archive differs from the rebuilt files, one line per file; empty when identical. */
export function archiveDifferences(
  published: Uint8Array,
  rebuilt: ReadonlyMap<string, Uint8Array>,
): string[] {
  const entries = unzipSync(published);
  const names = new Set([...Object.keys(entries), ...rebuilt.keys()]);
  return [...names].sort().flatMap((file) => {
    const [was, is] = [entries[file], rebuilt.get(file)];
    if (was === undefined) return [`${file}: rebuilt but not published`];
    if (is === undefined) return [`${file}: published but not rebuilt`];
    return Buffer.compare(was, is) === 0
      ? []
      : [`${file}: published sha256 ${sha256(was)}, rebuilt sha256 ${sha256(is)}`];
  });
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, published: { type: 'string' } },
  });
  const [command] = positionals;
  if (command === 'pack' && values.out) {
    const files = publishedFiles();
    writeFileSync(values.out, packArchive(files));
    console.log(`wrote ${values.out}: ${[...files.keys()].join(', ')}`);
  } else if (command === 'verify' && values.published) {
    const differences = archiveDifferences(readFileSync(values.published), publishedFiles());
    for (const line of differences) process.stderr.write(`${line}\n`);
    if (differences.length > 0) process.exit(1);
    console.log(`${values.published} holds exactly the rebuilt bundles`);
  } else {
    process.stderr.write('usage: actions-archive.ts pack --out <zip> | verify --published <zip>\n');
    process.exit(2);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`actions-archive: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
