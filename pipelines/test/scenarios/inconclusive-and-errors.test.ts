import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/release/record';
import { policyYaml, STANDARD_GATES, setUp } from './harness';

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('too little data is never a pass', () => {
  it('rolls back when the canary has no traces by the end of its maximum bake (default policy)', async () => {
    const run = setUp('no-traffic');
    const record = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('inconclusive');
    expect(exitCodeFor(record)).toBe(3);
    expect(record.reason).toContain('maximum bake of 10m');
    expect(record.reason).toContain('too few samples: canary 0');
    // It kept baking past the 5-minute bake, up to maxBake, before giving up.
    expect(record.steps[0]?.endedAt).toBe((record.steps[0]?.startedAt ?? 0) + 10 * 60_000);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
  });

  it('holds the canary at its weight for approval when the policy says hold', async () => {
    const run = setUp('no-traffic', policyYaml(`${STANDARD_GATES}\nonInconclusive: hold`));
    const record = await run.release();

    expect(record.outcome).toBe('held');
    expect(exitCodeFor(record)).toBe(3);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canary: 'v2', canaryWeight: 10 });
    expect(run.events.at(-1)?.type).toBe('hold');
  });
});

describe('signal read errors', () => {
  it('rides out errors below the consecutive-error limit and still promotes', async () => {
    const run = setUp('healthy');
    run.sim.traces.failReads(throttled, 4); // each poll reads canary and baseline: two polls in a row, limit 3
    const record = await run.release();

    expect(record.outcome).toBe('promoted');
    const errorPolls = run.events.filter(
      (e) => e.type === 'poll' && e.readings?.some((r) => r.verdict === 'error'),
    );
    expect(errorPolls).toHaveLength(2);
    expect(errorPolls[0]?.readings?.[1]?.reason).toContain(
      'could not read traces of checkout: Rate exceeded',
    );
  });

  it('rolls back once errors reach the consecutive-error limit', async () => {
    const run = setUp('healthy');
    run.sim.traces.failReads(throttled, 6);
    const record = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('error');
    expect(record.reason).toContain('signals unreadable for 3 polls in a row (limit 3)');
    expect(record.steps[0]?.polls).toBe(3);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
  });

  it('treats a gating alarm that does not exist as an error, not a pass', async () => {
    const run = setUp('healthy', policyYaml(STANDARD_GATES.replace('alarms: [', 'alarms: [no-such-alarm, ')));
    run.sim.alarms.delete('no-such-alarm');
    const record = await run.release();

    expect(record.outcome).toBe('blocked');
    expect(record.reason).toContain('alarm not found: no-such-alarm');
    expect(run.sim.platform.history).toHaveLength(1); // traffic never moved
  });
});

describe('platform failures never leave traffic split silently', () => {
  it('rolls back when a shift is throttled', async () => {
    const run = setUp('healthy');
    run.sim.platform.failNext('shift', throttled);
    const record = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe('could not shift 10% to v2 of checkout: Rate exceeded');
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
  });

  it('ends failed and says how traffic stands when the rollback fails too', async () => {
    const run = setUp('slow-canary');
    run.sim.platform.failNext('rollback', throttled);
    const record = await run.release();

    expect(record.outcome).toBe('failed');
    expect(exitCodeFor(record)).toBe(1);
    expect(record.reason).toContain('rollback FAILED: Rate exceeded');
    expect(record.reason).toContain('Traffic may still be split: v1 at 90%, v2 at 10%');
  });
});

describe('a cancelled job', () => {
  it('stops baking at the next tick and rolls back, recording why', async () => {
    const run = setUp('healthy');
    const controller = new AbortController();
    const cancelAt = run.clock.now() + 90_000;
    run.clock.at(cancelAt, () => controller.abort(new Error('received SIGTERM')));
    const record = await run.release({}, run.clock, controller.signal);

    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe('step 1/3 error: release cancelled (received SIGTERM)');
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
    expect(run.events.find((e) => e.type === 'rollback')?.at).toBe(cancelAt);
  });

  it('does not start shifting when cancelled before the first step', async () => {
    const run = setUp('healthy');
    const controller = new AbortController();
    controller.abort(new Error('received SIGINT'));
    const record = await run.release({}, run.clock, controller.signal);
    expect(record.outcome).toBe('rolled-back');
    expect(run.sim.platform.history.map((change) => change.state.canaryWeight)).toEqual([0, 0]);
  });
});
