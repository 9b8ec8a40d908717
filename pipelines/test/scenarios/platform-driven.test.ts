import { describe, expect, it, vi } from 'vitest';
import { MemoryScheduledPlatform } from '../../src/platforms/memory-scheduled-platform';
import { parsePolicy } from '../../src/policy/load-policy';
import { PolicyError } from '../../src/policy/policy-error';
import { TEST_MANIFEST } from '../fixtures/manifest';
import {
  CHECKOUT_ALARM,
  dyingClock,
  eventTypes,
  PLATFORM_GATES,
  platformPolicy,
  type Run,
  setUp,
} from './harness';
import { unjudgedAdvances } from './invariant';

const MINUTE = 60_000;
/** CodeDeploy shifts on its own; Tollgate decides each step this long before that. */
const LEAD = 15_000;

async function checkout(
  options: Parameters<typeof setUp>[0] = {},
): Promise<Run & { platform: MemoryScheduledPlatform }> {
  const run = await setUp({ yaml: platformPolicy(), ...options });
  const { platform } = run.session.memory;
  if (!(platform instanceof MemoryScheduledPlatform)) throw new Error('checkout is released by CodeDeploy');
  return { ...run, platform };
}

describe('a release CodeDeploy drives (ECS blue/green, 10% for 5 minutes)', () => {
  it('judges the canary step before CodeDeploy shifts the rest, then promotes when CodeDeploy finishes', async () => {
    const run = await checkout();
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('promoted');
    expect(exitCode).toBe(0);
    expect(record.driver).toBe('platform');
    expect(await run.traffic()).toBe('v2 at 100%');
    expect(eventTypes(run.events)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'platform',
      'shift',
      'step-passed',
      'promote',
    ]);
    const [step] = record.steps;
    expect(step).toMatchObject({ weight: 10, verdict: 'pass' });
    expect((step?.endedAt ?? 0) - (step?.startedAt ?? 0)).toBe(5 * MINUTE - LEAD);
    expect((record.finishedAt ?? 0) - record.startedAt).toBe(5 * MINUTE);
    expect(unjudgedAdvances(run.platform.history, record)).toEqual([]);
    expect(record.limits).toContain(
      "Each step was decided 15s before the platform's own next shift; a step still undecided then was rolled back.",
    );
  });

  it('stops CodeDeploy with a rollback on a regression at the first step', async () => {
    const run = await checkout({ scenario: 'slow-canary' });
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('fail');
    expect(await run.traffic()).toBe('v1 at 100%');
    expect((await run.platform.current()).deployment).toMatchObject({
      state: 'stopped',
      reason: 'stopped by Tollgate',
    });
    expect(run.platform.history.map((change) => [change.stable, change.weight])).toEqual([
      ['v1', 0],
      ['v1', 10],
      ['v1', 0],
    ]);
  });

  it('rolls back a step still inconclusive when CodeDeploy is about to move on, before it does', async () => {
    const run = await checkout({ scenario: 'no-traffic' });
    const { record, exitCode } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('inconclusive');
    expect(exitCode).toBe(3);
    expect(record.reason).toContain('still inconclusive after the maximum bake of 4m45s');
    const rollback = run.events.find((event) => event.type === 'rollback');
    expect((rollback?.at ?? 0) - record.startedAt).toBe(5 * MINUTE - LEAD);
    expect(run.platform.history.some((change) => change.stable === 'v2')).toBe(false);
    expect(unjudgedAdvances(run.platform.history, record)).toEqual([]);
  });

  it('a run killed mid-step is picked up by the next, which judges the rest of the step', async () => {
    const run = await checkout();
    const { clock } = run.session.memory;
    const deadline = clock.now() + 2 * MINUTE;
    void run.release({ clock: dyingClock(clock, async () => clock.now() >= deadline) });
    await vi.waitFor(() =>
      expect(run.events.filter((e) => e.type === 'poll').length).toBeGreaterThanOrEqual(4),
    );
    run.events.length = 0;

    const next = run.restart();
    const { record } = await next.release();
    expect(run.events.find((e) => e.type === 'reconcile')?.message).toBe(
      'found v1 at 90%, v2 at 10% from an interrupted release of v2; resuming at 10%',
    );
    expect(record.outcome).toBe('promoted');
    expect(record.steps.map((s) => [s.weight, s.verdict])).toEqual([[10, 'pass']]);
    expect((await run.session.ledger.list()).map((r) => r.outcome)).toEqual(['promoted', 'abandoned']);
    expect(unjudgedAdvances(run.platform.history, record)).toEqual([]);
  });

  it('a deployment that fails for a reason of its own ends rolled back, saying so', async () => {
    const run = await checkout();
    run.platform.failDeployment({ atStep: 1, reason: 'ECS tasks failed health checks' });
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('error');
    expect(record.reason).toBe('the platform failed deployment d-1: ECS tasks failed health checks');
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('a gating alarm mid-bake stops CodeDeploy within one poll', async () => {
    const run = await checkout({ scenario: 'alarm-mid-bake' });
    const { record } = await run.release();
    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toContain(`${CHECKOUT_ALARM}: in ALARM`);
    expect(await run.traffic()).toBe('v1 at 100%');
  });

  it('refuses, when the policy loads, to hold a release CodeDeploy runs', () => {
    const yaml = platformPolicy(`${PLATFORM_GATES}\nonInconclusive: hold`);
    expect(() => parsePolicy(yaml, 'checkout.yml', TEST_MANIFEST)).toThrow(PolicyError);
    expect(() => parsePolicy(yaml, 'checkout.yml', TEST_MANIFEST)).toThrow(
      /checkout\.yml:\d+:\d+: environments\.production\.gates\.onInconclusive: .* cannot hold a step/,
    );
  });
});
