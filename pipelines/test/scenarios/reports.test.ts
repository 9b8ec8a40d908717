import { describe, expect, it } from 'vitest';
import { jsonReport } from '../../src/report/json-report';
import { markdownReport } from '../../src/report/markdown-report';
import { ALARM, enginePolicy, platformPolicy, STANDARD_GATES, setUp } from './harness';

describe('reports a release manager reads', () => {
  it('a promoted release: verdict first, labelled simulated, every step passed, routine polls folded away', async () => {
    const { record } = await (await setUp()).release();
    const report = markdownReport(record);

    expect(report.split('\n')[0]).toBe('## ✅ promoted: orders v1 → v2 (production)');
    expect(report.split('\n')[2]).toBe('**v2 now takes all traffic: both steps held up against v1.**');
    expect(report.split('\n')[4]).toMatch(
      /^\*\*Simulated\*\* \(memory backend\): no real traffic moved\. \*\*Verdict:\*\* ✅ pass · \*\*Platform:\*\* lambda \(lambda-alias, traffic moved by Tollgate\)/,
    );
    expect(report).toMatch(
      /\*\*Step 1 at 10%: the new version held up against v1 — p50 latency \d+ ms vs \d+ ms, /,
    );
    expect(report).toContain('No AWS console: this release was simulated (memory backend)');
    expect(report).toContain('| 1 | 10% | 5m | ✅ pass after 5m, 10 polls |');
    expect(report).toContain('| 2 | 50% | 5m | ✅ pass after 5m, 10 polls |');
    expect(report).toContain('| 3 | 100% | — | ✅ promoted |');
    expect(report).toContain('_20 routine polls (all passing or waiting for data) not shown._');
    expect(report).toContain(`| alarm | ${ALARM} | OK |`);
    expect(report).not.toContain('What the platform allowed');
  });

  it('a release CodeDeploy ran states what the platform allowed', async () => {
    const { record } = await (await setUp({ yaml: platformPolicy() })).release();
    const report = markdownReport(record);
    expect(report).toContain('(ecs-codedeploy, traffic moved by the platform)');
    expect(report).toContain('### What the platform allowed');
    expect(report).toContain('- CodeDeploy blue/green deployment group shop-production-checkout');
  });

  it('a blocked release shows the preflight readings and why', async () => {
    const run = await setUp();
    run.session.memory.alarms.set(ALARM, 'ALARM', 'Threshold Crossed');
    const report = markdownReport((await run.release()).record);

    expect(report).toContain('## ⛔ blocked: orders v1 → v2 (production)');
    expect(report).toContain('Preflight:');
    expect(report).toContain(
      `| alarm | ${ALARM} | ALARM | — | — | — | ❌ fail | in ALARM: Threshold Crossed |`,
    );
    expect(report).toContain('| 1 | 10% | 5m | not reached |');
  });

  it('a held release says so, then its approval says who and why', async () => {
    const run = await setUp({
      scenario: 'no-traffic',
      yaml: enginePolicy(`${STANDARD_GATES}\nonInconclusive: hold`),
    });
    const held = markdownReport((await run.release()).record);
    expect(held).toContain('## ⏸️ held for approval');
    expect(held).toContain('⚠️ inconclusive');
    expect(held).toContain('too few samples: canary 0');
    expect(held.split('\n')[2]).toMatch(
      /^\*\*v2 is held at 10% waiting for approval\. Step 1 at 10%: could not tell in time — too few requests to tell /,
    );

    run.session.memory.traces.setProfile('v2', { medianMs: 120, sigma: 0.5, faultRate: 0.002 });
    const approved = markdownReport((await run.approve('quiet hours', 'jane')).record);
    expect(approved).toContain('## ✅ promoted');
    expect(approved).toMatch(/> Step 1 at 10% approved by jane at \S+: quiet hours/);
    expect(approved).toContain('| 1 | 10% | 5m | ⚠️ inconclusive after 10m, 20 polls, approved by jane |');
  });

  it('the JSON report carries the record, that it was simulated, and the exit code', async () => {
    const { record } = await (await setUp({ scenario: 'slow-canary' })).release();
    const json = JSON.parse(jsonReport(record));
    expect(json).toMatchObject({
      schemaVersion: 2,
      simulated: true,
      backend: 'memory',
      exitCode: 1,
      outcome: 'rolled-back',
      toVersion: 'v2',
    });
    expect(json.steps[0].readings.some((r: { verdict: string }) => r.verdict === 'fail')).toBe(true);
  });
});
