import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLedger } from '../../src/ledger/file-ledger';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import type { ReleaseRecord } from '../../src/release/record';

function record(workload: string, environment: string, startedAt: number): ReleaseRecord {
  return {
    id: `${workload}/${environment}/${startedAt}`,
    workload,
    environment,
    platform: 'lambda',
    fromVersion: '1',
    toVersion: '2',
    actor: 'tester',
    startedAt,
    finishedAt: startedAt + 1,
    outcome: 'promoted',
    verdict: 'pass',
    reason: 'ok',
    plan: [{ weight: 100, bakeMs: 0 }],
    steps: [],
    events: [],
  };
}

describe.each([
  ['file', async () => new FileLedger(join(await mkdtemp(join(tmpdir(), 'ledger-')), 'sub', 'ledger.jsonl'))],
  ['memory', async () => new MemoryLedger()],
])('%s ledger', (_name, make) => {
  it('returns matching records newest first, up to the limit', async () => {
    const ledger = await make();
    await ledger.append(record('payments', 'production', 1));
    await ledger.append(record('payments', 'staging', 2));
    await ledger.append(record('payments', 'production', 3));
    await ledger.append(record('checkout', 'production', 4));

    const ids = (await ledger.list({ workload: 'payments', environment: 'production' })).map((r) => r.id);
    expect(ids).toEqual(['payments/production/3', 'payments/production/1']);
    expect((await ledger.list({ limit: 2 })).map((r) => r.startedAt)).toEqual([4, 3]);
  });
});

describe('FileLedger', () => {
  it('is empty before its first release, and names the line of a corrupt record', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const ledger = new FileLedger(path);
    expect(await ledger.list()).toEqual([]);
    await ledger.append(record('auth', 'production', 1));
    await writeFile(path, `${await readFile(path, 'utf8')}{not json\n`);
    await expect(ledger.list()).rejects.toThrow(`${path}:2: not a JSON release record`);
  });
});
