import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const POLICY = join(ROOT, 'pipelines/policies/order-processing.yml');

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: { log: (l: string) => lines.out.push(l), error: (l: string) => lines.err.push(l) },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-cli-'));
});

const deployArgs = (version: string, scenario: string) => [
  'deploy',
  ...['--policy', POLICY, '--env', 'production', '--version', version, '--scenario', scenario],
  ...[
    '--ledger',
    join(dir, 'ledger.jsonl'),
    '--report-dir',
    join(dir, 'reports'),
    '--actor',
    'ci',
    '--rps',
    '100',
  ],
];

describe('tollgate (in process)', () => {
  it('plan prints the steps and exits 0', async () => {
    const { lines, output } = capture();
    expect(await runCli(['plan', '-p', POLICY, '-e', 'staging'], output)).toBe(0);
    expect(lines.out).toContain('  step 10/10: 100% on the new version, promote');
  });

  it('deploy exits 0 when promoted, 1 when rolled back, 3 when inconclusive, and records each', async () => {
    const healthy = capture();
    expect(await runCli(deployArgs('2', 'healthy'), healthy.output)).toBe(0);
    expect(healthy.lines.out.at(-2)).toBe('promoted: 2 passed every gate');

    expect(await runCli(deployArgs('3', 'erroring-canary'), capture().output)).toBe(1);
    expect(await runCli(deployArgs('4', 'no-traffic'), capture().output)).toBe(3);

    const status = capture();
    expect(await runCli(['status', '--ledger', join(dir, 'ledger.jsonl'), '--json'], status.output)).toBe(0);
    const records = JSON.parse(status.lines.out.join('\n')) as {
      toVersion: string;
      outcome: string;
      fromVersion: string;
    }[];
    expect(records.map((r) => [r.fromVersion, r.toVersion, r.outcome])).toEqual([
      ['2', '4', 'rolled-back'],
      ['2', '3', 'rolled-back'],
      ['1', '2', 'promoted'],
    ]);
    const report = await readFile(join(dir, 'reports', 'order-processing-production-3.md'), 'utf8');
    expect(report).toContain('| errors | fault rate |');
  });

  it('a malformed policy exits 2 and names the file and line', async () => {
    const bad = join(dir, 'bad.yml');
    await writeFile(
      bad,
      'workload: x\nplatform: lambda\nenvironments:\n  production:\n    strategy: Fast\n    gates: { alarms: [a] }\n',
    );
    const { lines, output } = capture();
    expect(await runCli(['plan', '-p', bad, '-e', 'production'], output)).toBe(2);
    expect(lines.err[0]).toMatch(
      new RegExp(`^tollgate: ${bad}:5:15: environments.production.strategy: "Fast" is not`),
    );
  });

  it('an unknown environment, option value or missing option exits 2', async () => {
    expect(await runCli(['plan', '-p', POLICY, '-e', 'qa'], capture().output)).toBe(2);
    expect(await runCli([...deployArgs('2', 'healthy'), '--backend', 'aws'], capture().output)).toBe(2);
    const missing = capture();
    expect(await runCli(['deploy', '-p', POLICY, '-e', 'production'], missing.output)).toBe(2);
    expect(missing.lines.err.join('\n')).toContain("required option '-v, --version <version>' not specified");
  });

  it('--help on each command documents the exit codes', async () => {
    for (const command of ['plan', 'deploy', 'status']) {
      const { lines, output } = capture();
      expect(await runCli([command, '--help'], output)).toBe(0);
      expect(lines.out.join('\n')).toContain('3  inconclusive or held for approval');
    }
  });
});

describe('tollgate (as a real process)', () => {
  it('runs from the package bin and returns the exit code', async () => {
    const run = promisify(execFile);
    const bin = join(ROOT, 'pipelines/bin/tollgate.mjs');
    const { stdout } = await run('node', [bin, ...deployArgs('2', 'healthy')], { cwd: ROOT });
    expect(stdout).toContain('promoted: 2 passed every gate');
    const failed = await run('node', [bin, ...deployArgs('3', 'slow-canary')], { cwd: ROOT }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('rolled-back: step 1/2 fail');
  });
});
