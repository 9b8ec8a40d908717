import { describe, expect, it } from 'vitest';
import { pairedRows, renderPairedRows } from '../../bench-judge/paired-compare';
import type { Outcome } from '../../bench-judge/release';

const cell = '10/s · 10% · σ0.5 · xray';
const recording = (scenario: string, outcomes: Outcome[]) => ({ series: [{ cell, scenario, outcomes }] });
const fail = (at: number, samples: number): Outcome => ({ end: 'fail', at, samples });
const promoted: Outcome = { end: 'promoted', at: 900, samples: 800 };

describe('pairedRows: one judge against another, release by release', () => {
  it('reads a shift every release shares as that shift, with an interval of exactly it', () => {
    const before = Array.from({ length: 60 }, (_, i) => fail(120 + 30 * (i % 3), 100 + i));
    const after = before.map((o) => fail(o.at + 30, o.samples + 10));
    const rows = pairedRows(recording('slow20', before), recording('slow20', after));
    const samples = rows.find((r) => r.measure === 'samples to fail (median)');
    expect(samples).toMatchObject({ runs: 60, before: 129, after: 139, difference: 10, interval: [10, 10] });
    const time = rows.find((r) => r.measure === 'time to fail (median, s)');
    expect(time).toMatchObject({ before: 150, after: 180, difference: 30, interval: [30, 30] });
  });

  it('counts a release without a fail as never detected, and shares of releases as fractions', () => {
    const before = [fail(60, 50), fail(60, 50), promoted, promoted];
    const after = [fail(60, 50), promoted, promoted, promoted];
    const rows = pairedRows(recording('p99only', before), recording('p99only', after));
    expect(rows.map((r) => [r.measure, r.before, r.after])).toEqual([
      ['samples to fail (median)', 50, Number.POSITIVE_INFINITY],
      ['time to fail (median, s)', 60, Number.POSITIVE_INFINITY],
      ['missed in the bake', 0.5, 0.75],
      ['promoted', 0.5, 0.75],
    ]);
    expect(renderPairedRows(rows)).toContain('| samples to fail (median) | 50 | never |');
  });

  it('compares healthy releases by how many were rolled back, and only series both recordings have', () => {
    const healthy = [promoted, promoted, fail(300, 200), promoted];
    const rows = pairedRows(
      {
        series: [
          { cell, scenario: 'healthy', outcomes: healthy },
          { cell: 'other', scenario: 'healthy', outcomes: [] },
        ],
      },
      recording('healthy', healthy),
    );
    expect(rows).toEqual([
      {
        cell,
        scenario: 'healthy',
        runs: 4,
        measure: 'rolled back',
        before: 0.25,
        after: 0.25,
        difference: 0,
        interval: [0, 0],
      },
    ]);
  });
});
