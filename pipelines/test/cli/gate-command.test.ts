import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { capture, MANIFEST, POLICY } from './cli-fixture';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-gate-'));
});

const gate = (...extra: string[]) => [
  'gate',
  ...['-p', POLICY, '-e', 'production', '-m', MANIFEST],
  ...['--state', join(dir, 'memory-state.json'), '--report-dir', join(dir, 'reports')],
  ...extra,
];

describe('tollgate gate (in process)', () => {
  it('passes a healthy environment over the window, exits 0 and writes the report', async () => {
    const { lines, output } = capture();
    expect(await runCli(gate('--window', '2m'), output)).toBe(0);
    const verdict = lines.out.find((line) => line.startsWith('pass (simulated): '));
    expect(verdict).toMatch(
      /^pass \(simulated\): after 2m \(5 polls\): every poll passed; \d+ gate readings pass$/,
    );
    const base = join(dir, 'reports', 'order-processing-production-gate');
    expect(lines.out).toContain(`report: ${base}.md, ${base}.json`);
    expect(await readFile(`${base}.md`, 'utf8')).toContain(
      '## ✅ pass: gates of order-processing in production (watched, nothing moved)',
    );
  });

  it('fails at the poll where a gating alarm fired, and exits 1', async () => {
    const { lines, output } = capture();
    expect(await runCli(gate('--window', '10m', '--scenario', 'alarm-mid-bake'), output)).toBe(1);
    const verdict = lines.out.find((line) => line.startsWith('fail (simulated): '));
    expect(verdict).toMatch(
      /^fail \(simulated\): at 2m \(poll 5\): securecart-production-order-processing-[\w-]+: in ALARM: /,
    );
  });

  const refused: [string, string[], string][] = [
    [
      'a window that is not a duration',
      ['--window', '5 minutes'],
      'tollgate: --window "5 minutes" is not a duration: whole hours, minutes and seconds like 30s, 5m or 1h30m',
    ],
    [
      'an empty window',
      ['--window', '0s'],
      'tollgate: --window 0s is out of range: more than 0s and at most 24h',
    ],
    ['no window', [], "error: required option '--window <duration>' not specified"],
    [
      'a scenario that means nothing without a release',
      ['--window', '1m', '--scenario', 'slow-canary'],
      "error: option '--scenario <name>' argument 'slow-canary' is invalid. Allowed choices are healthy, alarm-mid-bake.",
    ],
  ];
  it.each(refused)('refuses %s with exit 2', async (_what, args, message) => {
    const { lines, output } = capture();
    expect(await runCli(gate(...args), output)).toBe(2);
    expect(lines.err[0]).toBe(message);
  });

  it('--help documents what each exit code means for a watch', async () => {
    const { lines, output } = capture();
    expect(await runCli(['gate', '--help'], output)).toBe(0);
    expect(lines.out.join('\n')).toContain('0  pass: every gate passed at every poll for the whole window');
  });
});
