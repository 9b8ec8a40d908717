import { describe, expect, it } from 'vitest';
import { markdownReport } from '../../src/report/markdown-report';
import { ALARM, eventTypes, setUp } from './harness';
import { unjudgedAdvances } from './invariant';

describe('an engine-driven release under a virtual clock', () => {
  it('promotes a healthy version through every step, never past an unjudged one', async () => {
    const run = await setUp();
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('promoted');
    expect(exitCode).toBe(0);
    expect(await run.traffic()).toBe('v2 at 100%');
    expect(record.steps.map((step) => [step.weight, step.verdict])).toEqual([
      [10, 'pass'],
      [50, 'pass'],
    ]);
    expect(eventTypes(run.events)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'shift',
      'step-passed',
      'shift',
      'step-passed',
      'promote',
    ]);
    // Two 5-minute bakes polled every 30 s: the whole release takes exactly ten virtual minutes.
    expect((record.finishedAt ?? 0) - record.startedAt).toBe(10 * 60_000);
    expect(run.session.memory.platform.history.map((change) => change.weight)).toEqual([0, 10, 50, 0]);
    expect(unjudgedAdvances(run.session.memory.platform.history, record)).toEqual([]);
    expect((await run.session.ledger.list())[0]).toMatchObject({ outcome: 'promoted', backend: 'memory' });
  });

  it('stages the new version without traffic and records both references', async () => {
    const run = await setUp();
    const { record } = await run.release();
    expect(record.fromRevision).toEqual({ version: 'v1', ref: '1' });
    expect(record.toRevision).toEqual({ version: 'v2', ref: '2' });
    expect(run.events.find((e) => e.type === 'prepare')?.message).toBe('staged v2 as 2, without traffic');
  });

  it('rolls back a latency regression at the first step and leaves 100% on stable', async () => {
    const run = await setUp({ scenario: 'slow-canary' });
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('fail');
    expect(exitCode).toBe(1);
    expect(await run.traffic()).toBe('v1 at 100%');
    expect(record.steps).toHaveLength(1);
    const failing = record.steps[0]?.readings.filter((reading) => reading.verdict === 'fail') ?? [];
    expect(failing.map((reading) => reading.metric)).toContain('p50 latency');
    expect(run.session.memory.platform.history.some((change) => change.weight === 50)).toBe(false);
    const report = markdownReport(record);
    expect(report).toContain('↩️ rolled back');
    expect(report).toContain('| latency | p50 latency |');
  });

  it('rolls back an erroring canary on the fault-rate gate', async () => {
    const run = await setUp({ scenario: 'erroring-canary' });
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    const failing = record.steps[0]?.readings.filter((reading) => reading.verdict === 'fail');
    expect(failing?.map((reading) => reading.metric)).toEqual(['fault rate']);
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('rolls back within one poll interval of an alarm firing mid-bake', async () => {
    const run = await setUp({ scenario: 'alarm-mid-bake' });
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    const firedAt = record.startedAt + 2 * 60_000;
    const rollback = run.events.find((event) => event.type === 'rollback');
    expect((rollback?.at ?? Number.POSITIVE_INFINITY) - firedAt).toBeLessThanOrEqual(30_000);
    expect(record.reason).toContain(`${ALARM}: in ALARM`);
  });

  it('fails a step when someone else changes the traffic mid-bake', async () => {
    const run = await setUp();
    const { clock, platform } = run.session.memory;
    clock.at(clock.now() + 60_000, () => {
      if (platform.driver === 'engine') void platform.rollback();
    });
    const { record } = await run.release();
    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe('step 1/3 fail: traffic: traffic changed outside this release: v1 at 100%');
  });
});
