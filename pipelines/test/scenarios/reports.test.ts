import { describe, expect, it } from 'vitest';
import { jsonReport } from '../../src/report/json-report';
import { markdownReport } from '../../src/report/markdown-report';
import { ALARM, policyYaml, STANDARD_GATES, setUp } from './harness';

describe('reports a release manager reads', () => {
  it('a promoted release: verdict first, every step passed, routine polls folded away', async () => {
    const record = await setUp('healthy').release();
    const report = markdownReport(record);

    expect(report.split('\n')[0]).toBe('## ✅ promoted: checkout v1 → v2 (production)');
    expect(report).toContain('| 1 | 10% | 5m | ✅ pass after 5m, 10 polls |');
    expect(report).toContain('| 2 | 50% | 5m | ✅ pass after 5m, 10 polls |');
    expect(report).toContain('| 3 | 100% | — | ✅ promoted |');
    expect(report).toContain('_20 routine polls (all passing or waiting for data) not shown._');
    expect(report).toContain(`| alarm | ${ALARM} | OK |`);
  });

  it('a blocked release shows the preflight readings and why', async () => {
    const run = setUp('healthy');
    run.sim.alarms.set(ALARM, 'ALARM', 'Threshold Crossed');
    const report = markdownReport(await run.release());

    expect(report).toContain('## ⛔ blocked: checkout v1 → v2 (production)');
    expect(report).toContain('Preflight:');
    expect(report).toContain(
      `| alarm | ${ALARM} | ALARM | — | — | — | ❌ fail | in ALARM: Threshold Crossed |`,
    );
    expect(report).toContain('| 1 | 10% | 5m | not reached |');
  });

  it('a held release says so and keeps the inconclusive readings', async () => {
    const record = await setUp('no-traffic', policyYaml(`${STANDARD_GATES}\nonInconclusive: hold`)).release();
    const report = markdownReport(record);
    expect(report).toContain('## ⏸️ held for approval');
    expect(report).toContain('⚠️ inconclusive');
    expect(report).toContain('too few samples: canary 0');
  });

  it('the JSON report carries the record and the exit code', async () => {
    const record = await setUp('slow-canary').release();
    const json = JSON.parse(jsonReport(record));
    expect(json).toMatchObject({ schemaVersion: 1, exitCode: 1, outcome: 'rolled-back', toVersion: 'v2' });
    expect(json.steps[0].readings.some((r: { verdict: string }) => r.verdict === 'fail')).toBe(true);
  });
});
