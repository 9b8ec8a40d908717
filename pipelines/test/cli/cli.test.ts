import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { capture, MANIFEST, POLICY, ROOT } from './cli-fixture';

const PAYMENTS = join(ROOT, 'pipelines/policies/payments.yml');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-cli-'));
});

const where = () => [
  '--manifest',
  MANIFEST,
  '--ledger',
  join(dir, 'ledger.jsonl'),
  '--report-dir',
  join(dir, 'reports'),
];
const deployArgs = (version: string, scenario: string, policy = POLICY) => [
  'deploy',
  ...['--policy', policy, '--env', 'production', '--version', version, '--scenario', scenario],
  ...where(),
  ...['--actor', 'ci', '--rps', '100'],
];

describe('tollgate (in process)', () => {
  it('plan prints the target, how it is released, and the steps, and exits 0', async () => {
    const { lines, output } = capture();
    expect(await runCli(['plan', '-p', POLICY, '-e', 'staging', '-m', MANIFEST], output)).toBe(0);
    expect(lines.out[0]).toBe('order-processing → staging: linear 10% every 1m');
    expect(lines.out).toContain('  traffic moved by: Tollgate, step by step');
    expect(lines.out).toContain('  step 10/10: 100% on the new version, promote');
  });

  it('plan of a CodeDeploy-run environment says what Tollgate cannot do there', async () => {
    const { lines, output } = capture();
    const fraud = join(ROOT, 'pipelines/policies/fraud-detection.yml');
    expect(await runCli(['plan', '-p', fraud, '-e', 'production', '-m', MANIFEST], output)).toBe(0);
    expect(lines.out).toContain('  traffic moved by: the platform, on its own schedule');
    expect(lines.out).toContain('  cannot hold a step: the platform moves on by itself');
  });

  it('deploy exits 0 when promoted, 1 when rolled back, 3 when inconclusive, and records each', async () => {
    const healthy = capture();
    expect(await runCli(deployArgs('2', 'healthy'), healthy.output)).toBe(0);
    expect(healthy.lines.out).toContain('promoted (simulated): 2 passed every gate');

    expect(await runCli(deployArgs('3', 'erroring-canary'), capture().output)).toBe(1);
    expect(await runCli(deployArgs('4', 'no-traffic'), capture().output)).toBe(3);

    const status = capture();
    expect(await runCli(['status', '--ledger', join(dir, 'ledger.jsonl'), '--json'], status.output)).toBe(0);
    const records = JSON.parse(status.lines.out.join('\n')) as {
      toVersion: string;
      outcome: string;
      fromVersion: string;
      backend: string;
    }[];
    expect(records.map((r) => [r.fromVersion, r.toVersion, r.outcome, r.backend])).toEqual([
      ['2', '4', 'rolled-back', 'memory'],
      ['2', '3', 'rolled-back', 'memory'],
      ['1', '2', 'promoted', 'memory'],
    ]);
    const report = await readFile(join(dir, 'reports', 'order-processing-production-3.md'), 'utf8');
    expect(report).toContain('| errors | fault rate |');
    expect(report).toContain('**Simulated** (memory backend): no real traffic moved.');
  });

  it('a held release is approved with its own command, which records who and why', async () => {
    const held = [...deployArgs('1.1.0', 'no-traffic', PAYMENTS), '--stable', '1.0.0'];
    expect(await runCli(held, capture().output)).toBe(3);
    const approve = capture();
    const approveArgs = [
      'approve',
      '-p',
      PAYMENTS,
      '-e',
      'production',
      '-v',
      '1.1.0',
      ...where(),
      '--actor',
      'jane',
    ];
    expect(
      await runCli([...approveArgs, '--reason', 'night traffic; verified by hand'], approve.output),
    ).toBe(0);
    expect(approve.lines.out).toContain('promoted (simulated): 1.1.0 passed every gate');
    const status = capture();
    await runCli(['status', '--ledger', join(dir, 'ledger.jsonl'), '--json'], status.output);
    const [record] = JSON.parse(status.lines.out.join('\n')) as {
      approvals: { by: string; reason: string }[];
    }[];
    expect(record?.approvals).toEqual([
      expect.objectContaining({ by: 'jane', reason: 'night traffic; verified by hand' }),
    ]);

    const nothing = capture();
    expect(await runCli([...approveArgs, '--reason', 'again'], nothing.output)).toBe(1);
    expect(nothing.lines.err[0]).toBe(
      'tollgate: no held release of 1.1.0 for payments in production; the latest release is 1.1.0, promoted',
    );
  });

  it('a malformed policy exits 2 and names the file and line', async () => {
    const bad = join(dir, 'bad.yml');
    await writeFile(
      bad,
      'workload: x\nplatform: lambda\nenvironments:\n  production:\n    strategy: Fast\n    gates: { alarms: [a] }\n',
    );
    const { lines, output } = capture();
    expect(await runCli(['plan', '-p', bad, '-e', 'production', '-m', MANIFEST], output)).toBe(2);
    expect(lines.err[0]).toMatch(
      new RegExp(`^tollgate: ${bad}:5:15: environments.production.strategy: "Fast" is not`),
    );
  });

  const badInput: [string, () => string[], string][] = [
    [
      'an unknown environment',
      () => ['plan', '-p', POLICY, '-e', 'qa', '-m', MANIFEST],
      'unknown environment "qa"',
    ],
    [
      'an unknown backend',
      () => [...deployArgs('2', 'healthy'), '--backend', 'localstack'],
      "argument 'localstack' is invalid. Allowed choices are memory, aws, local.",
    ],
    [
      'a missing version',
      () => ['deploy', '-p', POLICY, '-e', 'production'],
      "required option '-v, --version <version>'",
    ],
    [
      'a version that is not one',
      () => deployArgs('2;rm -rf /', 'healthy'),
      '--version "2;rm -rf /" is not a release version',
    ],
    [
      'a non-semver version where the policy asks for semver',
      () => deployArgs('7', 'healthy', PAYMENTS),
      'is not a semantic version',
    ],
    [
      'an actor name with spaces',
      () => [...deployArgs('2', 'healthy'), '--actor', 'Robert Tables'],
      '--actor "Robert Tables" is not a user name',
    ],
    [
      'an override without a reason',
      () => [...deployArgs('2', 'healthy'), '--override-alarms', ' '],
      '--override-alarms needs a reason',
    ],
    [
      'a seed out of range',
      () => [...deployArgs('2', 'healthy'), '--seed', '0'],
      'expected a whole number from 1 to 2147483647',
    ],
    [
      'a missing manifest',
      () => ['plan', '-p', POLICY, '-e', 'production', '-m', '/nowhere.json'],
      'release manifest /nowhere.json: file not found',
    ],
  ];
  it.each(badInput)('%s exits 2, names what is wrong, and moves nothing', async (_what, args, message) => {
    const { lines, output } = capture();
    expect(await runCli(args(), output)).toBe(2);
    expect(lines.err.join('\n')).toContain(message);
    await expect(readFile(join(dir, 'ledger.jsonl'), 'utf8')).rejects.toThrow('ENOENT');
  });

  it('--help on each command documents the exit codes', async () => {
    for (const command of ['plan', 'deploy', 'approve', 'status']) {
      const { lines, output } = capture();
      expect(await runCli([command, '--help'], output)).toBe(0);
      expect(lines.out.join('\n')).toContain('3  inconclusive, or held for approval');
      expect(lines.out.join('\n')).toContain('4  could not record');
    }
  });
});

describe('tollgate (as a real process)', () => {
  const run = promisify(execFile);
  const bin = join(ROOT, 'pipelines/bin/tollgate.mjs');

  it('runs from the package bin and returns the exit code', async () => {
    const { stdout } = await run('node', [bin, ...deployArgs('2', 'healthy')], { cwd: ROOT });
    expect(stdout).toContain('promoted (simulated): 2 passed every gate');
    const failed = await run('node', [bin, ...deployArgs('3', 'slow-canary')], { cwd: ROOT }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('rolled-back (simulated): step 1/2 fail');
  });

  it('exits 4 and moves nothing when the ledger cannot record the start', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'a file where the ledger directory should be');
    const args = deployArgs('2', 'healthy').map((arg) =>
      arg.replace(join(dir, 'ledger.jsonl'), join(blocker, 'ledger.jsonl')),
    );
    const failed = await run('node', [bin, ...args, '--state', join(dir, 'state.json')], { cwd: ROOT }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(4);
    expect(failed.stderr).toMatch(
      /could not record the start of order-processing\/production\/2\/\d+, so nothing was released/,
    );
    await expect(readFile(join(dir, 'state.json'), 'utf8')).rejects.toThrow('ENOENT');
  });
});
