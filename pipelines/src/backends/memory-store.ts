import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorText } from '../errors/error-text';
import { InputError } from '../errors/input-error';
import type { MemoryPlatformState } from '../platforms/memory-state';

/**
 * The simulated platforms' state between runs, so that a held release can be approved and an
 * interrupted one reconciled by the next `tollgate` run, as on a real platform. The virtual clock's
 * time is kept too: simulated bakes run ahead of the wall clock, and time must never go backwards.
 */
export interface MemoryWorld {
  clock: number;
  workloads: Record<string, MemoryPlatformState>;
}

const EMPTY: MemoryWorld = { clock: 0, workloads: {} };

export async function loadWorld(file: string | undefined): Promise<MemoryWorld> {
  if (!file) return structuredClone(EMPTY);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
    throw new InputError(`could not read the simulated platforms' state ${file}: ${errorText(error)}`);
  }
  try {
    const world = JSON.parse(text) as Partial<MemoryWorld>;
    if (typeof world.clock !== 'number' || typeof world.workloads !== 'object' || world.workloads === null) {
      throw new Error('not a state file');
    }
    return world as MemoryWorld;
  } catch (error) {
    throw new InputError(
      `${file} is not a simulated platforms' state (${errorText(error)}); delete it to start afresh`,
    );
  }
}

/** Writes the state whole or not at all (a temporary file renamed over the old one). */
export async function saveWorld(file: string | undefined, world: MemoryWorld): Promise<void> {
  if (!file) return;
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(world)}\n`, 'utf8');
  await rename(temporary, file);
}
