import { describe, expect, it } from 'vitest';
import type { GateReading } from '../../src/record/reading';
import { releaseHeadline, stepHeadline } from '../../src/report/headline';
import { markdownReport } from '../../src/report/markdown-report';
import { limitInWords, readingInWords, resultInWords } from '../../src/report/reading-words';
import { ALARM_OK, p99, rolledBackRecord, T0 } from './release-fixture';

const versions = { canary: 'v2', baseline: 'v1' };
const figures = { canary: 412.4, baseline: 305.2, threshold: 366.24 };

const faults = (verdict: GateReading['verdict'], canary: number): GateReading => ({
  gate: 'errors',
  metric: 'fault rate',
  verdict,
  reason: 'the judge',
  unit: 'ratio',
  samples: { canary: 900, baseline: 9000 },
  canary,
  baseline: 0.0022,
  threshold: 0.0122,
  at: T0,
  window: { from: T0, to: T0 },
});

describe('readings in plain words', () => {
  it('a failing latency reading says slower, by how much, against what was allowed', () => {
    expect(readingInWords(p99(60, 'fail', figures), versions)).toBe(
      'the new version was slower — p99 latency 412 ms vs 305 ms on v1, more than the 20% allowed',
    );
    expect(resultInWords(p99(60, 'fail', figures))).toBe('❌ over the limit');
    expect(limitInWords(p99(60, 'fail', figures))).toBe('366 ms (+20%)');
  });

  it('a passing latency reading gives the figures within the allowance', () => {
    const reading = p99(60, 'pass', { canary: 310, baseline: 305.2, threshold: 366.24 });
    expect(readingInWords(reading, versions)).toBe(
      'p99 latency 310 ms vs 305 ms on v1, within the 20% allowed',
    );
    expect(resultInWords(reading)).toBe('✅ within the limit');
  });

  it('an undecided reading says so with the figures and how much more traffic it needs', () => {
    const reading = { ...p99(60, 'inconclusive', figures), details: { moreCanarySamples: 43000 } };
    expect(readingInWords(reading, versions)).toBe(
      'p99 latency not decided yet — p99 latency 412 ms vs 305 ms on v1 (limit 366 ms); about 43,000 more requests on v2 needed',
    );
    expect(resultInWords(reading)).toBe('⚠️ not decided yet');
  });

  it('a reading below the minimum sample count says there were too few requests, not figures', () => {
    expect(readingInWords(p99(30, 'inconclusive'), versions)).toBe(
      'too few requests to tell p99 latency yet (40 on v2, 400 on v1); about 60 more requests on v2 needed',
    );
    expect(resultInWords(p99(30, 'inconclusive'))).toBe('⚠️ too few requests yet');
  });

  it('fault rates are compared in percentage points', () => {
    expect(readingInWords(faults('fail', 0.081), versions)).toBe(
      'the new version failed more requests — faults on 8.1% of requests vs 0.22% on v1, more than the 1 percentage point allowed',
    );
    expect(readingInWords(faults('pass', 0.0019), versions)).toBe(
      'faults on 0.19% of requests vs 0.22% on v1, within the 1 percentage point allowed',
    );
    expect(limitInWords(faults('pass', 0.0019))).toBe('1.22% (+1 pt)');
  });

  it('alarms say whether they went off', () => {
    expect(readingInWords(ALARM_OK, versions)).toBe('alarm shop-production-orders-5xx is OK');
    const firing: GateReading = {
      ...ALARM_OK,
      state: 'ALARM',
      verdict: 'fail',
      reason: 'in ALARM: Threshold Crossed',
    };
    expect(readingInWords(firing, versions)).toBe(
      'alarm shop-production-orders-5xx went off — in ALARM: Threshold Crossed',
    );
  });
});

describe('step and release headlines', () => {
  it('lead with what decided the step, and no statistics', () => {
    const record = rolledBackRecord();
    const [first, second] = record.steps;
    expect(stepHeadline(second as never, versions)).toBe(
      'Step 2 at 50%: the new version was slower — p99 latency 412 ms vs 305 ms on v1, more than the 20% allowed',
    );
    expect(stepHeadline(first as never, versions)).toBe(
      'Step 1 at 10%: the new version held up against v1 — p99 latency 310 ms vs 305 ms; no alarm went off',
    );
    expect(releaseHeadline(record)).toBe(
      'Rolled back: all traffic is on v1 again. Step 2 at 50%: the new version was slower — p99 latency 412 ms vs 305 ms on v1, more than the 20% allowed.',
    );
  });

  it('an inconclusive step says it could not tell in time, and who approved it', () => {
    const step = {
      ...(rolledBackRecord().steps[0] as never as object),
      verdict: 'inconclusive' as const,
      readings: [ALARM_OK, p99(600, 'inconclusive')],
      approvedBy: 'jane',
    };
    expect(stepHeadline(step as never, versions)).toBe(
      'Step 1 at 10%: could not tell in time — too few requests to tell p99 latency yet (40 on v2, 400 on v1); about 60 more requests on v2 needed; approved by jane',
    );
  });

  it('a promotion says the new version takes all traffic', () => {
    const record = { ...rolledBackRecord(), outcome: 'promoted' as const, verdict: 'pass' as const };
    record.steps = record.steps.slice(0, 1);
    expect(releaseHeadline(record)).toBe('v2 now takes all traffic: its step held up against v1.');
  });

  it('a rollback a person asked for says who, to what, and their reason', () => {
    const record = {
      ...rolledBackRecord(),
      fromVersion: 'v3',
      toVersion: 'v2',
      steps: [],
      manualRollback: { reason: 'checkout errors since v3' },
    };
    expect(releaseHeadline(record)).toBe(
      'jane rolled back by hand to v2, all at once and without analysis; v2 takes all traffic. Their reason: checkout errors since v3.',
    );
  });

  it('a blocked release says nothing moved and which check stopped it', () => {
    const firing: GateReading = {
      ...ALARM_OK,
      state: 'ALARM',
      verdict: 'fail',
      reason: 'in ALARM: Threshold Crossed',
    };
    const record = {
      ...rolledBackRecord(),
      outcome: 'blocked' as const,
      steps: [],
      events: [{ at: T0, type: 'blocked' as const, message: 'blocked', readings: [firing] }],
    };
    expect(releaseHeadline(record)).toBe(
      'Nothing moved: the release did not start because alarm shop-production-orders-5xx went off — in ALARM: Threshold Crossed.',
    );
  });
});

describe('who approved what', () => {
  it("lists the GitHub environment reviews the job ran after, before Tollgate's own step approvals", () => {
    const context = {
      alarms: [],
      environmentReviews: [
        {
          by: 'maria',
          state: 'approved' as const,
          environments: ['production'],
          comment: 'staging report reads fine',
        },
        { by: 'li', state: 'approved' as const, environments: ['production'], comment: '' },
      ],
    };
    const lines = markdownReport(rolledBackRecord(), context).split('\n');
    expect(lines.filter((line) => line.includes('GitHub environment review'))).toEqual([
      '> Deployment to production approved by maria (GitHub environment review): staging report reads fine',
      '> Deployment to production approved by li (GitHub environment review)',
    ]);
  });
});
