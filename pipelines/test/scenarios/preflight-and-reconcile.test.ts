import { describe, expect, it, vi } from 'vitest';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { ALARM, dyingClock, enginePolicy, eventTypes, STANDARD_GATES, setUp } from './harness';
import { unjudgedAdvances } from './invariant';

describe('preflight', () => {
  it('blocks the release while a gating alarm is already firing', async () => {
    const run = await setUp();
    run.session.memory.alarms.set(ALARM, 'ALARM', 'Threshold Crossed: 5xx above 1%');
    const { record } = await run.release();

    expect(record.outcome).toBe('blocked');
    expect(record.reason).toBe(
      `preflight blocked the release: ${ALARM}: in ALARM: Threshold Crossed: 5xx above 1%`,
    );
    expect(run.session.memory.platform.history).toHaveLength(1);
    expect(eventTypes(run.events)).toEqual(['plan', 'blocked']);
  });

  it('lets an override with a reason through, and records the reason', async () => {
    const run = await setUp();
    const { alarms, clock } = run.session.memory;
    alarms.set(ALARM, 'ALARM', 'firing since an unrelated incident');
    // The alarm clears once the hotfix is out; the override is only for the preflight.
    clock.at(clock.now() + 1, () => alarms.set(ALARM, 'OK', 'recovered'));
    const { record } = await run.release({ alarmOverride: 'hotfix for INC-42' });

    expect(record.outcome).toBe('promoted');
    expect(run.events.find((e) => e.type === 'preflight')?.message).toContain(
      'overridden (hotfix for INC-42)',
    );
  });

  it('blocks on INSUFFICIENT_DATA only when the policy says block', async () => {
    const reported = await setUp();
    reported.session.memory.alarms.set(ALARM, 'INSUFFICIENT_DATA', 'no datapoints');
    expect((await reported.release()).record.outcome).toBe('promoted');

    const blocking = await setUp({ yaml: enginePolicy(`${STANDARD_GATES}\nalarmInsufficientData: block`) });
    blocking.session.memory.alarms.set(ALARM, 'INSUFFICIENT_DATA', 'no datapoints');
    const { record } = await blocking.release();
    expect(record.outcome).toBe('blocked');
    expect(record.reason).toContain('INSUFFICIENT_DATA, blocks until it has data');
  });

  it('does nothing when the version is already stable', async () => {
    const run = await setUp();
    const { record } = await run.release({ version: 'v1' });
    expect(record.outcome).toBe('promoted');
    expect(record.reason).toBe('v1 was already stable');
  });
});

describe('reconciling an interrupted release', () => {
  it('a run killed mid-bake is resumed by the next, whose record closes the first as abandoned', async () => {
    const run = await setUp();
    const atFifty = async () => (await run.session.platform.current()).canaryWeight === 50;
    void run.release({ clock: dyingClock(run.session.clock, atFifty) });
    await vi.waitFor(async () => expect(await atFifty()).toBe(true));
    run.events.length = 0;

    const next = run.restart();
    const { record } = await next.release();
    expect(eventTypes(run.events).slice(0, 3)).toEqual(['plan', 'reconcile', 'reconcile']);
    expect(run.events.find((e) => e.type === 'reconcile')?.message).toContain('resuming at 50%');
    expect(record.outcome).toBe('promoted');
    expect(record.steps.map((step) => step.weight)).toEqual([50]);
    const [latest, first] = await run.session.ledger.list();
    expect(latest?.id).toBe(record.id);
    expect(first?.outcome).toBe('abandoned');
    expect(first?.reason).toContain('the platform showed v1 at 50%, v2 at 50%');
  });

  it('rolls back a different version left half-shifted before releasing the new one', async () => {
    const run = await setUp();
    const { platform } = run.session.memory;
    if (platform.driver !== 'engine') throw new Error('expected the engine-driven platform');
    await platform.shift(await platform.prepare({ version: 'v1-hotfix' }), 10);
    const { record } = await run.release();

    expect(run.events.find((e) => e.type === 'reconcile')?.message).toContain(
      'found v1 at 90%, v1-hotfix at 10% left by an interrupted release; rolling v1-hotfix back',
    );
    expect(record.outcome).toBe('promoted');
    expect(await run.traffic()).toBe('v2 at 100%');
  });

  it('ends failed, saying how traffic stands, when the stale canary cannot be rolled back', async () => {
    const run = await setUp();
    const { platform } = run.session.memory;
    if (platform.driver !== 'engine') throw new Error('expected the engine-driven platform');
    await platform.shift(await platform.prepare({ version: 'v1-hotfix' }), 10);
    platform.failNext('rollback', new Error('Rate exceeded'));
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('failed');
    expect(exitCode).toBe(1);
    expect(record.reason).toBe(
      'could not clear v1-hotfix, left by an interrupted release; rollback FAILED: Rate exceeded. Traffic may still be split: v1 at 90%, v1-hotfix at 10%. Run the deploy again (it reconciles first) or roll back by hand.',
    );
  });

  it('rolls back a resumed canary when an alarm is firing at preflight', async () => {
    const run = await setUp();
    const { platform, alarms } = run.session.memory;
    if (platform.driver !== 'engine') throw new Error('expected the engine-driven platform');
    await platform.shift(await platform.prepare({ version: 'v2' }), 10);
    alarms.set(ALARM, 'ALARM', 'firing');
    const { record } = await run.release();
    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toBe(`preflight blocked the release: ${ALARM}: in ALARM: firing`);
    expect(await run.traffic()).toBe('v1 at 100%');
  });
});

describe('approval of a held release', () => {
  const holding = enginePolicy(`${STANDARD_GATES}\nonInconclusive: hold`);

  it('records who approved and why, then carries the release through its remaining steps', async () => {
    const run = await setUp({ scenario: 'no-traffic', yaml: holding });
    expect((await run.release()).record.outcome).toBe('held');
    run.session.memory.traces.setProfile('v2', { medianMs: 120, sigma: 0.5, faultRate: 0.002 });

    const { record, exitCode } = await run.approve('traffic is too low at night; checked the logs by hand');
    expect(exitCode).toBe(0);
    expect(record.outcome).toBe('promoted');
    expect(record.approvals).toEqual([
      expect.objectContaining({
        by: 'release-manager',
        step: 0,
        weight: 10,
        reason: 'traffic is too low at night; checked the logs by hand',
      }),
    ]);
    expect(record.steps.map((s) => [s.weight, s.verdict, s.approvedBy])).toEqual([
      [10, 'inconclusive', 'release-manager'],
      [50, 'pass', undefined],
    ]);
    expect(unjudgedAdvances(run.session.memory.platform.history, record)).toEqual([]);
    expect((await run.session.ledger.list()).map((r) => r.outcome)).toEqual(['promoted']);
  });

  it('re-running the deploy of a held version bakes the step again; it does not approve it', async () => {
    const run = await setUp({ scenario: 'no-traffic', yaml: holding });
    await run.release();
    const { record } = await run.release();
    expect(record.outcome).toBe('held');
    expect(record.approvals).toEqual([]);
    expect((await run.session.ledger.list()).map((r) => r.outcome)).toEqual(['held', 'abandoned']);
  });

  it('there is nothing to approve when no release of that version is held', async () => {
    const run = await setUp();
    await run.release();
    await expect(run.approve('looks fine')).rejects.toThrow(
      'no held release of v2 for orders in production; the latest release is v2, promoted',
    );
  });

  it('closes the held record without moving anything when someone rolled the canary back meanwhile', async () => {
    const run = await setUp({ scenario: 'no-traffic', yaml: holding });
    await run.release();
    await run.session.platform.rollback();
    const { record, exitCode } = await run.approve('ship it');
    expect(exitCode).toBe(1);
    expect(record.outcome).toBe('abandoned');
    expect(record.reason).toBe(
      'the platform no longer holds v2 at 10% (it shows v1 at 100%); nothing was approved',
    );
  });
});

describe('the ledger', () => {
  it('a ledger that refuses the start stops the release before anything moves', async () => {
    const run = await setUp();
    const refusing = new MemoryLedger();
    refusing.begin = async () => {
      throw new Error('GitHub API unavailable');
    };
    run.session.ledger = refusing;
    await expect(run.release()).rejects.toThrow(
      /could not record the start of .*, so nothing was released: GitHub API unavailable/,
    );
    expect(run.session.memory.platform.history).toHaveLength(1);
  });

  it('a promotion the ledger cannot record stays a promotion, with its report, and exits 4', async () => {
    const run = await setUp();
    run.session.ledger.finish = async () => {
      throw new Error('disk full');
    };
    const { record, exitCode, problems } = await run.release();
    expect(record.outcome).toBe('promoted');
    expect(exitCode).toBe(4);
    expect(problems).toEqual(['promoted, but the ledger could not record it: disk full']);
  });
});
