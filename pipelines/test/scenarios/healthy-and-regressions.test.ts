import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/release/record';
import { markdownReport } from '../../src/report/markdown-report';
import { ALARM, eventTypes, setUp } from './harness';

describe('a whole release under a virtual clock', () => {
  it('promotes a healthy version through every step', async () => {
    const run = setUp('healthy');
    const record = await run.release();

    expect(record.outcome).toBe('promoted');
    expect(exitCodeFor(record)).toBe(0);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v2', canaryWeight: 0 });
    expect(record.steps.map((step) => [step.weight, step.verdict])).toEqual([
      [10, 'pass'],
      [50, 'pass'],
    ]);
    expect(eventTypes(run.events)).toEqual([
      'plan',
      'preflight',
      'shift',
      'step-passed',
      'shift',
      'step-passed',
      'promote',
    ]);
    // Two 5-minute bakes polled every 30 s: the whole release takes exactly ten virtual minutes.
    expect(record.finishedAt - record.startedAt).toBe(10 * 60_000);
    expect(run.sim.platform.history.map((change) => change.state.canaryWeight)).toEqual([0, 10, 50, 100, 0]);
    expect((await run.ledger.list())[0]?.outcome).toBe('promoted');
  });

  it('rolls back a latency regression at the first step and leaves 100% on stable', async () => {
    const run = setUp('slow-canary');
    const record = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('fail');
    expect(exitCodeFor(record)).toBe(1);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
    expect(record.steps).toHaveLength(1);
    const failing = record.steps[0]?.readings.filter((reading) => reading.verdict === 'fail') ?? [];
    expect(failing.map((reading) => reading.metric)).toContain('p50 latency');
    expect(run.sim.platform.history.some((change) => change.state.canaryWeight === 50)).toBe(false);
    const report = markdownReport(record);
    expect(report).toContain('↩️ rolled back');
    expect(report).toContain('| latency | p50 latency |');
  });

  it('rolls back an erroring canary on the fault-rate gate', async () => {
    const run = setUp('erroring-canary');
    const record = await run.release();

    expect(record.outcome).toBe('rolled-back');
    const failing = record.steps[0]?.readings.filter((reading) => reading.verdict === 'fail');
    expect(failing?.map((reading) => reading.metric)).toEqual(['fault rate']);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
  });

  it('rolls back within one poll interval of an alarm firing mid-bake', async () => {
    const run = setUp('alarm-mid-bake');
    const record = await run.release();

    expect(record.outcome).toBe('rolled-back');
    const firedAt = record.startedAt + 2 * 60_000;
    const rollback = run.events.find((event) => event.type === 'rollback');
    expect(rollback).toBeDefined();
    expect((rollback?.at ?? 0) - firedAt).toBeLessThanOrEqual(30_000);
    expect(record.reason).toContain(ALARM);
    expect(record.reason).toContain('in ALARM');
  });
});
