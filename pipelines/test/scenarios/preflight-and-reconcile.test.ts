import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/release/input-error';
import { ALARM, eventTypes, policyYaml, STANDARD_GATES, setUp } from './harness';

describe('preflight', () => {
  it('blocks the release while a gating alarm is already firing', async () => {
    const run = setUp('healthy');
    run.sim.alarms.set(ALARM, 'ALARM', 'Threshold Crossed: 5xx above 1%');
    const record = await run.release();

    expect(record.outcome).toBe('blocked');
    expect(record.reason).toBe(
      `preflight blocked the release: ${ALARM}: in ALARM: Threshold Crossed: 5xx above 1%`,
    );
    expect(run.sim.platform.history).toHaveLength(1);
    expect(eventTypes(run.events)).toEqual(['plan', 'blocked']);
  });

  it('lets an override with a reason through, and records the reason', async () => {
    const run = setUp('healthy');
    run.sim.alarms.set(ALARM, 'ALARM', 'firing since an unrelated incident');
    // The alarm clears once the hotfix is out; the override is only for the preflight.
    run.clock.at(run.clock.now() + 1, () => run.sim.alarms.set(ALARM, 'OK', 'recovered'));
    const record = await run.release({ alarmOverride: 'hotfix for INC-42' });

    expect(record.outcome).toBe('promoted');
    expect(run.events.find((e) => e.type === 'preflight')?.message).toContain(
      'overridden (hotfix for INC-42)',
    );
  });

  it('blocks on INSUFFICIENT_DATA only when the policy says block', async () => {
    const reported = setUp('healthy');
    reported.sim.alarms.set(ALARM, 'INSUFFICIENT_DATA', 'no datapoints');
    expect((await reported.release()).outcome).toBe('promoted');

    const blocking = setUp('healthy', policyYaml(`${STANDARD_GATES}\nalarmInsufficientData: block`));
    blocking.sim.alarms.set(ALARM, 'INSUFFICIENT_DATA', 'no datapoints');
    const record = await blocking.release();
    expect(record.outcome).toBe('blocked');
    expect(record.reason).toContain('INSUFFICIENT_DATA, blocks until it has data');
  });

  it('rejects an unknown environment as bad input before touching anything', async () => {
    const run = setUp('healthy');
    await expect(run.release({ environment: 'prod-eu' })).rejects.toThrow(InputError);
    await expect(run.release({ environment: 'prod-eu' })).rejects.toThrow('known: production');
  });

  it('does nothing when the version is already stable', async () => {
    const run = setUp('healthy');
    const record = await run.release({ version: 'v1' });
    expect(record.outcome).toBe('promoted');
    expect(record.reason).toBe('v1 was already stable');
  });
});

describe('reconciling an interrupted release', () => {
  it('resumes a release of the same version that was killed mid-bake', async () => {
    const run = setUp('healthy');
    // The first run is killed during its 50% bake: from then on its sleeps never return, like a
    // SIGKILLed runner, and it never gets to roll back or promote.
    const dyingClock = {
      now: () => run.clock.now(),
      sleep: async (ms: number) => {
        const { canaryWeight } = await run.sim.platform.current();
        if (canaryWeight === 50) return new Promise<void>(() => {});
        return run.clock.sleep(ms);
      },
    };
    void run.release({}, dyingClock);
    await vi.waitFor(async () => expect((await run.sim.platform.current()).canaryWeight).toBe(50));
    run.events.length = 0;

    const record = await run.release();
    expect(eventTypes(run.events).slice(0, 3)).toEqual(['plan', 'reconcile', 'preflight']);
    expect(run.events.find((e) => e.type === 'reconcile')?.message).toContain('resuming at 50%');
    expect(record.outcome).toBe('promoted');
    expect(record.steps.map((step) => step.weight)).toEqual([50]);
  });

  it('rolls back a different version left half-shifted before releasing the new one', async () => {
    const run = setUp('healthy');
    run.sim.platform.seed({ stable: 'v1', canary: 'v1-hotfix', canaryWeight: 10 });
    const record = await run.release();

    expect(run.events.find((e) => e.type === 'reconcile')?.message).toContain(
      'found v1 at 90%, v1-hotfix at 10% left by an interrupted release; rolling v1-hotfix back',
    );
    expect(record.outcome).toBe('promoted');
    expect(await run.sim.platform.current()).toEqual({ stable: 'v2', canaryWeight: 0 });
  });

  it('rolls back a resumed canary when an alarm is firing at preflight', async () => {
    const run = setUp('healthy');
    run.sim.platform.seed({ stable: 'v1', canary: 'v2', canaryWeight: 10 });
    run.sim.alarms.set(ALARM, 'ALARM', 'firing');
    const record = await run.release();
    expect(record.outcome).toBe('rolled-back');
    expect(await run.sim.platform.current()).toEqual({ stable: 'v1', canaryWeight: 0 });
  });
});

describe('strategies', () => {
  it('all-at-once promotes straight to 100% after preflight', async () => {
    const yaml = policyYaml(STANDARD_GATES).replace(
      /strategy: \{[^\n]*\}/,
      'strategy: CodeDeployDefault.ECSAllAtOnce',
    );
    const run = setUp('healthy', yaml);
    const record = await run.release();
    expect(record.plan).toEqual([{ weight: 100, bakeMs: 0 }]);
    expect(eventTypes(run.events)).toEqual(['plan', 'preflight', 'promote']);
    expect(await run.sim.platform.current()).toEqual({ stable: 'v2', canaryWeight: 0 });
  });

  it('custom steps run in order with their own bakes', async () => {
    const yaml = policyYaml(
      STANDARD_GATES,
      'steps: [{ weight: 5, bake: 3m }, { weight: 25, bake: 4m }, { weight: 60, bake: 2m }]',
    );
    const run = setUp('healthy', yaml, 200);
    const record = await run.release();
    expect(record.outcome).toBe('promoted');
    expect(record.steps.map((s) => [s.weight, s.endedAt - s.startedAt])).toEqual([
      [5, 3 * 60_000],
      [25, 4 * 60_000],
      [60, 2 * 60_000],
    ]);
  });

  it('a linear predefined config shifts 10% at a time', async () => {
    const yaml = policyYaml(STANDARD_GATES).replace(
      /strategy: \{[^\n]*\}/,
      'strategy: CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
    );
    const run = setUp('healthy', yaml, 400);
    const record = await run.release();
    expect(record.plan.map((step) => step.weight)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(record.outcome).toBe('promoted');
  });
});
