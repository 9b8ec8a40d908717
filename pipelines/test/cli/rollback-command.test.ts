import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { capture, MANIFEST, POLICY } from './cli-fixture';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-rollback-'));
});

const where = () => [
  '--manifest',
  MANIFEST,
  '--ledger',
  join(dir, 'ledger.jsonl'),
  '--report-dir',
  join(dir, 'reports'),
];
const target = ['-p', POLICY, '-e', 'production'];
const deploy = (version: string) => [
  'deploy',
  ...target,
  '-v',
  version,
  ...where(),
  '--actor',
  'ci',
  '--rps',
  '100',
];
const rollback = (...extra: string[]) => ['rollback', ...target, ...where(), '--actor', 'jane', ...extra];

async function deployed(...versions: string[]): Promise<void> {
  for (const version of versions) expect(await runCli(deploy(version), capture().output)).toBe(0);
}

describe('tollgate rollback (in process)', () => {
  it('returns to the release before the live one, exits 0, and records who and why', async () => {
    await deployed('2', '3');
    const { lines, output } = capture();
    expect(await runCli(rollback('--reason', 'INC-7: checkout errors'), output)).toBe(0);
    expect(lines.out).toContain(
      'rolled-back (simulated): rolled back to 2 (2 at 100%, as asked) at the request of jane, all at once, without analysis: INC-7: checkout errors',
    );
    const reports = join(dir, 'reports', 'rollbacks', 'order-processing-production-2');
    expect(lines.out.find((line) => line.startsWith('report: '))).toMatch(
      new RegExp(`^report: ${reports}\\.md, ${reports}\\.json`),
    );
    expect(await readFile(`${reports}.md`, 'utf8')).toContain(
      '## ↩️ rolled back: order-processing 3 → 2 (production)',
    );
    const promotedReport = join(dir, 'reports', 'order-processing-production-2.json');
    expect(JSON.parse(await readFile(promotedReport, 'utf8'))).toMatchObject({ outcome: 'promoted' });
    const json = JSON.parse(await readFile(`${reports}.json`, 'utf8')) as {
      exitCode: number;
      manualRollback: unknown;
    };
    expect(json).toMatchObject({ exitCode: 0, manualRollback: { reason: 'INC-7: checkout errors' } });

    const status = capture();
    await runCli(['status', '--ledger', join(dir, 'ledger.jsonl'), '--json'], status.output);
    const records = JSON.parse(status.lines.out.join('\n')) as {
      fromVersion: string;
      toVersion: string;
      outcome: string;
      actor: string;
    }[];
    expect(records.map((r) => [r.fromVersion, r.toVersion, r.outcome, r.actor])).toEqual([
      ['3', '2', 'rolled-back', 'jane'],
      ['2', '3', 'promoted', 'ci'],
      ['1', '2', 'promoted', 'ci'],
    ]);
  });

  it('returns to a named version, and the deploy after it starts from there', async () => {
    await deployed('2', '3', '4');
    expect(
      await runCli(rollback('--to-version', '2', '--reason', 'bad schema since 3'), capture().output),
    ).toBe(0);
    const next = capture();
    expect(await runCli(deploy('5'), next.output)).toBe(0);
    expect(next.lines.out.some((line) => line.includes('plan for order-processing → 5'))).toBe(true);
    const status = capture();
    await runCli(['status', '--ledger', join(dir, 'ledger.jsonl'), '--json'], status.output);
    const records = JSON.parse(status.lines.out.join('\n')) as { fromVersion: string; toVersion: string }[];
    expect(records.find((record) => record.toVersion === '5')).toMatchObject({ fromVersion: '2' });
  });

  const refused: [string, () => Promise<void>, string[], string][] = [
    [
      'a version never promoted there',
      () => deployed('2'),
      ['--to-version', '9', '--reason', 'x'],
      'tollgate: cannot roll order-processing in production back to 9: 9 was never live there; the ledger knows 2, 1 (newest first)',
    ],
    [
      'nothing in the ledger to return to',
      async () => {},
      ['--reason', 'x'],
      'tollgate: no earlier release of order-processing in production to roll back to (1 is live): the ledger has no promoted release of order-processing in production; name a version to return to',
    ],
    ['no reason', async () => {}, [], "error: required option '--reason <text>' not specified"],
    ['a blank reason', async () => {}, ['--reason', '  '], 'tollgate: --reason needs a reason'],
    [
      'a version that is not one',
      async () => {},
      ['--to-version', '2;rm', '--reason', 'x'],
      'tollgate: --to-version "2;rm" is not a release version',
    ],
    [
      'a memory-only flag with a real backend',
      async () => {},
      ['--backend', 'aws', '--stable', '7', '--reason', 'x'],
      'tollgate: --stable only shapes the simulation (--backend memory); --backend aws does not take it',
    ],
  ];
  it.each(refused)('refuses %s with exit 2, moving nothing', async (_what, before, args, message) => {
    await before();
    const { lines, output } = capture();
    expect(await runCli(rollback(...args), output)).toBe(2);
    expect(lines.err[0]).toContain(message);
  });

  it('--help documents what each exit code means for a rollback', async () => {
    const { lines, output } = capture();
    expect(await runCli(['rollback', '--help'], output)).toBe(0);
    const help = lines.out.join('\n');
    expect(help).toContain('0  rolled back: the version asked for is live at 100%');
    expect(help).toContain('--to-version <version>');
  });
});
