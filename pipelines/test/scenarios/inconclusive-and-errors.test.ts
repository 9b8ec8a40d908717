import { describe, expect, it } from 'vitest';
import { enginePolicy, STANDARD_GATES, setUp } from './harness';

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('too little data is never a pass', () => {
  it('rolls back when the canary has no traces by the end of its maximum bake (default policy)', async () => {
    const run = await setUp({ scenario: 'no-traffic' });
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('inconclusive');
    expect(exitCode).toBe(3);
    expect(record.reason).toContain('maximum bake of 10m');
    expect(record.reason).toContain('too few samples: canary 0');
    // It kept baking past the 5-minute bake, up to maxBake, before giving up.
    expect(record.steps[0]?.endedAt).toBe((record.steps[0]?.startedAt ?? 0) + 10 * 60_000);
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('holds the canary at its weight for approval when the policy says hold', async () => {
    const run = await setUp({
      scenario: 'no-traffic',
      yaml: enginePolicy(`${STANDARD_GATES}\nonInconclusive: hold`),
    });
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('held');
    expect(exitCode).toBe(3);
    expect(record.finishedAt).toBeUndefined();
    expect(await run.traffic()).toBe('v1 at 90%, v2 at 10%');
    expect(run.events.at(-1)?.type).toBe('hold');
    expect((await run.session.ledger.list())[0]?.outcome).toBe('held');
  });
});

describe('signal read errors', () => {
  it('rides out errors below the consecutive-error limit and still promotes', async () => {
    const run = await setUp();
    run.session.memory.traces.failReads(throttled, 2); // the first poll that reads traces, canary and baseline
    const { record } = await run.release();

    expect(record.outcome).toBe('promoted');
    const errorPolls = run.events.filter(
      (e) => e.type === 'poll' && e.readings?.some((r) => r.verdict === 'error'),
    );
    expect(errorPolls).toHaveLength(1);
    expect(errorPolls[0]?.readings?.find((r) => r.verdict === 'error')?.reason).toBe(
      'could not read traces of orders: Rate exceeded',
    );
  });

  it('rolls back once errors reach the consecutive-error limit', async () => {
    const run = await setUp();
    run.session.memory.traces.failReads(throttled, 100);
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('error');
    expect(record.reason).toContain('signals unreadable for 3 polls in a row (limit 3)');
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('treats a gating alarm that does not exist as an error, not a pass', async () => {
    const run = await setUp();
    run.session.memory.alarms.delete(run.environment.gates?.alarms[0] ?? '');
    const { record } = await run.release();

    expect(record.outcome).toBe('blocked');
    expect(record.reason).toBe(
      'preflight blocked the release: shop-production-orders-5xx: no such alarm (a typo, or another account or Region?)',
    );
    expect(run.session.memory.platform.history).toHaveLength(1); // traffic never moved
  });
});

describe('platform failures never leave traffic split silently', () => {
  it('rolls back when a shift is throttled', async () => {
    const run = await setUp();
    run.session.memory.platform.failNext('shift', throttled);
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe('could not shift 10% to v2 of orders: Rate exceeded');
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('ends failed and says how traffic stands when the rollback fails too', async () => {
    const run = await setUp({ scenario: 'slow-canary' });
    run.session.memory.platform.failNext('rollback', throttled);
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('failed');
    expect(exitCode).toBe(1);
    expect(record.reason).toContain('rollback FAILED: Rate exceeded');
    expect(record.reason).toContain('Traffic may still be split: v1 at 90%, v2 at 10%');
  });

  it('blocks without moving anything when the new version cannot be staged', async () => {
    const run = await setUp();
    run.session.memory.platform.failNext('prepare', new Error('CodeStorageExceededException'));
    const { record } = await run.release();
    expect(record.outcome).toBe('blocked');
    expect(record.reason).toBe('could not stage v2: CodeStorageExceededException');
    expect(run.session.memory.platform.history).toHaveLength(1);
  });
});

describe('a cancelled job', () => {
  it('stops baking at once and rolls back, recording why', async () => {
    const run = await setUp();
    const controller = new AbortController();
    const { clock } = run.session.memory;
    const cancelAt = clock.now() + 90_000;
    clock.at(cancelAt, () => controller.abort(new Error('received SIGTERM')));
    const { record } = await run.release({ signal: controller.signal });

    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe('step 1/3 error: release cancelled (received SIGTERM)');
    expect(await run.traffic()).toBe('v1 at 100%');
    expect(run.events.find((e) => e.type === 'rollback')?.at).toBe(cancelAt);
  });

  it('does not wait on a platform call that hangs: it rolls back as soon as it is cancelled', async () => {
    const run = await setUp();
    run.session.memory.platform.hangNext('shift');
    const controller = new AbortController();
    const pending = run.release({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('received SIGINT')), 10);
    const { record } = await pending;

    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe('release cancelled (received SIGINT) while trying to shift 10% to v2');
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('does not start shifting when cancelled before the first step', async () => {
    const run = await setUp();
    const controller = new AbortController();
    controller.abort(new Error('received SIGINT'));
    const { record } = await run.release({ signal: controller.signal });
    expect(record.outcome).toBe('blocked');
    expect(record.reason).toBe(
      'could not read the platform of orders, so nothing moved: release cancelled (received SIGINT)',
    );
    expect(run.session.memory.platform.history).toHaveLength(1);
  });
});
