import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLedger } from '../../src/ledger/file-ledger';
import type { Ledger } from '../../src/ledger/ledger';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import type { ReleaseOutcome, ReleaseRecord } from '../../src/record/record';

function record(
  workload: string,
  environment: string,
  startedAt: number,
  outcome: ReleaseOutcome = 'in-progress',
): ReleaseRecord {
  return {
    id: `${workload}/${environment}/${startedAt}`,
    workload,
    environment,
    platform: 'lambda',
    backend: 'memory',
    method: 'lambda-alias',
    driver: 'engine',
    fromVersion: '1',
    toVersion: '2',
    actor: 'tester',
    startedAt,
    updatedAt: startedAt,
    outcome,
    reason: outcome,
    plan: [{ weight: 100, bakeMs: 0 }],
    steps: [],
    approvals: [],
    limits: [],
    events: [],
  };
}

async function released(
  ledger: Ledger,
  workload: string,
  environment: string,
  startedAt: number,
): Promise<void> {
  await ledger.begin(record(workload, environment, startedAt));
  await ledger.finish(record(workload, environment, startedAt, 'promoted'));
}

const fileLedger = async () =>
  new FileLedger(join(await mkdtemp(join(tmpdir(), 'ledger-')), 'sub', 'ledger.jsonl'));

describe.each([
  ['file', fileLedger],
  ['memory', async () => new MemoryLedger()],
])('%s ledger', (_name, make) => {
  it('returns the latest state of matching records, newest first, up to the limit', async () => {
    const ledger = await make();
    await released(ledger, 'payments', 'production', 1);
    await released(ledger, 'payments', 'staging', 2);
    await ledger.begin(record('payments', 'production', 3));
    await released(ledger, 'checkout', 'production', 4);

    const found = await ledger.list({ workload: 'payments', environment: 'production' });
    expect(found.map((r) => [r.id, r.outcome])).toEqual([
      ['payments/production/3', 'in-progress'],
      ['payments/production/1', 'promoted'],
    ]);
    expect((await ledger.list({ limit: 2 })).map((r) => r.startedAt)).toEqual([4, 3]);
  });

  it('keeps a record through begin → update (held) → update → finish', async () => {
    const ledger = await make();
    await ledger.begin(record('auth', 'production', 1));
    await ledger.update({ ...record('auth', 'production', 1, 'held'), reason: 'held for approval' });
    expect((await ledger.list())[0]?.outcome).toBe('held');
    await ledger.update(record('auth', 'production', 1, 'in-progress'));
    await ledger.finish(record('auth', 'production', 1, 'rolled-back'));
    expect((await ledger.list()).map((r) => r.outcome)).toEqual(['rolled-back']);
  });

  it('refuses what would make the history lie', async () => {
    const ledger = await make();
    await expect(ledger.update(record('auth', 'production', 1))).rejects.toThrow(
      'release auth/production/1 was never begun',
    );
    await ledger.begin(record('auth', 'production', 1));
    await expect(ledger.begin(record('auth', 'production', 1))).rejects.toThrow('was already begun');
    await expect(ledger.finish(record('auth', 'production', 1, 'held'))).rejects.toThrow(
      'cannot finish as held',
    );
    await expect(ledger.update(record('auth', 'production', 1, 'promoted'))).rejects.toThrow(
      'is promoted; record that with finish',
    );
    await ledger.finish(record('auth', 'production', 1, 'promoted'));
    await expect(ledger.finish(record('auth', 'production', 1, 'rolled-back'))).rejects.toThrow(
      'already finished as promoted; it cannot change',
    );
  });

  it('hands out copies, so a caller cannot change what was recorded', async () => {
    const ledger = await make();
    const mine = record('auth', 'production', 1);
    await ledger.begin(mine);
    mine.reason = 'changed afterwards';
    const [stored] = await ledger.list();
    expect(stored?.reason).toBe('in-progress');
    if (stored) stored.reason = 'changed again';
    expect((await ledger.list())[0]?.reason).toBe('in-progress');
  });
});

describe('FileLedger', () => {
  it('is empty before its first release, and names the line of a corrupt entry', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const ledger = new FileLedger(path);
    expect(await ledger.list()).toEqual([]);
    await released(ledger, 'auth', 'production', 1);
    await writeFile(path, `{not json\n${await readFile(path, 'utf8')}`);
    await expect(ledger.list()).rejects.toThrow(`${path}:1: not a JSON release record`);
  });

  it('ignores a line torn by a crash mid-write, and appends after it on a fresh line', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const ledger = new FileLedger(path);
    await released(ledger, 'auth', 'production', 1);
    await appendFile(path, '{"op":"begin","record":{"id":"auth/production/2"');
    expect((await ledger.list()).map((r) => r.id)).toEqual(['auth/production/1']);
    await released(ledger, 'auth', 'production', 3);
    expect((await ledger.list()).map((r) => r.id)).toEqual(['auth/production/3', 'auth/production/1']);
  });

  it('says what to do with a ledger an older Tollgate wrote', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    await writeFile(path, `${JSON.stringify(record('auth', 'production', 1, 'promoted'))}\n`);
    await expect(new FileLedger(path).list()).rejects.toThrow(
      `${path}:1: not a ledger entry (written by a Tollgate before 0.2; move the file aside)`,
    );
  });
});
