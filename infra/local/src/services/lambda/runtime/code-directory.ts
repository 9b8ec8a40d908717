import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';

/**
 * The code directories (LAMBDA_TASK_ROOT) of the versions the runtime runs: each version's zip
 * extracted once into its own folder under one temporary root, removed on close.
 */
export class CodeDirectories {
  private root?: Promise<string>;
  private readonly extracted = new Map<string, Promise<string>>();

  /** The folder holding `zip`, extracted under `key` (function and version) the first time. */
  directory(key: string, zip: Uint8Array): Promise<string> {
    let directory = this.extracted.get(key);
    if (!directory) {
      directory = this.extract(key, zip);
      this.extracted.set(key, directory);
    }
    return directory;
  }

  async removeAll(): Promise<void> {
    const root = await this.root;
    if (root) await rm(root, { recursive: true, force: true });
  }

  private async extract(key: string, zip: Uint8Array): Promise<string> {
    this.root ??= mkdtemp(join(tmpdir(), 'tollgate-lambda-'));
    const directory = join(await this.root, key.replace(/[^a-zA-Z0-9._-]/g, '_'));
    await mkdir(directory, { recursive: true });
    for (const [name, content] of Object.entries(unzipSync(zip))) {
      if (name.endsWith('/')) continue;
      const target = resolve(directory, name);
      if (!target.startsWith(directory + sep))
        throw new Error(`the zip of ${key} has an entry outside its root: ${name}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    return directory;
  }
}
