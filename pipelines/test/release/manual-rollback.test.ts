import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/input-error';
import { type Ledger, LedgerError } from '../../src/ledger/ledger';
import type { MemoryPlatform } from '../../src/platforms/memory-platform';
import { describeTraffic } from '../../src/platforms/port';
import type { ReleaseRecord } from '../../src/record/record';
import { type ReleaseDeps, startRelease } from '../../src/release/context';
import { type ManualRollbackRequest, runManualRollback } from '../../src/release/manual-rollback';
import { ALARM, platformPolicy, type Run, setUp } from '../scenarios/harness';

/** Makes `version` stable at 100% on the simulated platform, as a promoted release would have. */
async function goLive(platform: MemoryPlatform, version: string): Promise<void> {
  const revision = await platform.prepare({ version });
  if (platform.driver === 'engine') await platform.shift(revision, 10);
  else await platform.start(revision, [{ weight: 100, bakeMs: 0 }]);
  await platform.promote(revision);
}

/** Records in the ledger, and acts out on the platform, the promoted releases `from → to` given in order. */
async function released(run: Run, versions: readonly string[]): Promise<void> {
  const { clock, platform } = run.session.memory;
  for (const [index, to] of versions.slice(1).entries()) {
    const from = versions[index] as string;
    const request = {
      workload: run.session.platform.workload,
      environment: run.environment,
      version: to,
      actor: 'ci',
    };
    const { record } = startRelease(request, deps(run));
    await run.session.ledger.begin(record);
    await goLive(platform, to);
    clock.advance(60_000);
    const now = clock.now();
    const done: ReleaseRecord = {
      ...record,
      fromVersion: from,
      outcome: 'promoted',
      verdict: 'pass',
      reason: `${to} passed every gate`,
      updatedAt: now,
      finishedAt: now,
    };
    await run.session.ledger.finish(done);
    clock.advance(60_000);
  }
}

const published: ReleaseRecord[] = [];

function deps(run: Run): ReleaseDeps {
  return {
    platform: run.session.platform,
    signals: run.session.signals,
    clock: run.session.clock,
    ledger: run.session.ledger,
    backend: 'memory',
    onEvent: (event) => run.events.push(event),
    publish: async (record) => {
      published.push(structuredClone(record));
      return [`reports/${record.workload}-${record.toVersion}.md`];
    },
  };
}

function request(run: Run, overrides: Partial<ManualRollbackRequest> = {}): ManualRollbackRequest {
  return {
    workload: run.session.platform.workload,
    environment: run.environment,
    actor: 'jane',
    reason: 'checkout errors since 14:02 (INC-7)',
    ...overrides,
  };
}

const types = (run: Run) => run.events.map((event) => event.type);

describe('a manual rollback to the previous release', () => {
  it('returns the workload to the release before the live one, at once, and records who and why', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const before = run.session.memory.platform.history.length;
    const result = await runManualRollback(request(run), deps(run));

    expect(await run.traffic()).toBe('v2 at 100%');
    expect(run.session.memory.platform.history.slice(before)).toEqual([
      { at: run.session.clock.now(), stable: 'v2', weight: 0 },
    ]);
    expect(result).toMatchObject({ fromVersion: 'v3', toVersion: 'v2', exitCode: 0, problems: [] });
    expect(result.reports).toEqual(['reports/orders-v2.md']);
    const { record } = result;
    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('pass');
    expect(record.reason).toBe(
      'rolled back to v2 (v2 at 100%, as asked) at the request of jane, all at once, without analysis: checkout errors since 14:02 (INC-7)',
    );
    expect(record).toMatchObject({
      actor: 'jane',
      manualRollback: { reason: 'checkout errors since 14:02 (INC-7)' },
      fromRevision: { version: 'v3', ref: '3' },
      toRevision: { version: 'v2', ref: '2' },
      plan: [{ weight: 100, bakeMs: 0 }],
    });
    expect(record.steps.map((s) => [s.verdict, s.reason])).toEqual([['pass', 'v2 at 100%, as asked']]);
    expect(types(run)).toEqual(['plan', 'prepare', 'rollback']);
    expect(run.events[0]?.message).toContain('v3 at 100% → v2, the release before v3');
    const [latest] = await run.session.ledger.list();
    expect(latest).toEqual(record);
    expect(published.at(-1)?.outcome).toBe('rolled-back');
  });

  it('a second rollback goes further back, past the version the first one left', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3', 'v4']);
    expect((await runManualRollback(request(run), deps(run))).toVersion).toBe('v3');
    run.session.memory.clock.advance(60_000);
    const second = await runManualRollback(request(run), deps(run));
    expect([second.fromVersion, second.toVersion, second.exitCode]).toEqual(['v3', 'v2', 0]);
    expect(await run.traffic()).toBe('v2 at 100%');

    // v2's promotion replaced v1, which was live before Tollgate's first release here.
    run.session.memory.clock.advance(60_000);
    const third = await runManualRollback(request(run), deps(run));
    expect([third.fromVersion, third.toVersion, third.exitCode]).toEqual(['v2', 'v1', 0]);

    run.session.memory.clock.advance(60_000);
    await expect(runManualRollback(request(run), deps(run))).rejects.toThrow(
      new InputError(
        'no earlier release of orders in production to roll back to (v1 is live): every other promoted version (v4, v3, v2) was rolled back from since; name a version to return to',
      ),
    );
  });

  it('does not wait for alarms: a gating alarm in ALARM is why people roll back', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    run.session.memory.alarms.set(ALARM, 'ALARM', 'Threshold Crossed: 5xx above 1%');
    const { record } = await runManualRollback(request(run), deps(run));
    expect(record.outcome).toBe('rolled-back');
    expect(await run.traffic()).toBe('v2 at 100%');
  });

  it('drops a canary in flight along the way', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const { platform } = run.session.memory;
    if (platform.driver !== 'engine') throw new Error('expected the engine-driven platform');
    await platform.shift(await platform.prepare({ version: 'v4' }), 10);
    const result = await runManualRollback(request(run), deps(run));
    expect([result.fromVersion, result.toVersion, result.record.outcome]).toEqual([
      'v3',
      'v2',
      'rolled-back',
    ]);
    expect(run.events[0]?.message).toContain('v3 at 90%, v4 at 10% → v2');
    expect(await run.traffic()).toBe('v2 at 100%');
  });

  it('on a platform that runs its own schedule, redeploys the earlier revision', async () => {
    const run = await setUp({ yaml: platformPolicy() });
    await released(run, ['v1', 'v2', 'v3']);
    const result = await runManualRollback(request(run), deps(run));
    expect(result.record.outcome).toBe('rolled-back');
    expect(result.record.method).toBe('ecs-codedeploy');
    const traffic = await run.session.platform.current();
    expect(describeTraffic(traffic)).toBe('v2 at 100%');
    expect(traffic.stable.ref).toBe('2');
  });
});

describe('a manual rollback to a named version', () => {
  it('returns to any version promoted there', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3', 'v4']);
    const result = await runManualRollback(request(run, { toVersion: 'v2' }), deps(run));
    expect([result.fromVersion, result.toVersion, result.exitCode]).toEqual(['v4', 'v2', 0]);
    expect(run.events[0]?.message).toMatch(/→ v2, as named \(promoted by orders\/production\/v2\/\d+\)/);
    expect(await run.traffic()).toBe('v2 at 100%');
  });

  it('refuses a version never live there, naming the ones the ledger knows; nothing moves or is recorded', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const before = await run.session.ledger.list();
    await expect(runManualRollback(request(run, { toVersion: 'v9' }), deps(run))).rejects.toThrow(
      new InputError(
        'cannot roll orders in production back to v9: v9 was never live there; the ledger knows v3, v2, v1 (newest first)',
      ),
    );
    expect(await run.session.ledger.list()).toEqual(before);
    expect(await run.traffic()).toBe('v3 at 100%');
  });

  it('does not count a simulated release as one to return a real workload to', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const aws = { ...deps(run), backend: 'aws' as const };
    await expect(runManualRollback(request(run, { toVersion: 'v2' }), aws)).rejects.toThrow(
      'the ledger has no promoted release of orders in production',
    );
  });
});

describe('a manual rollback that cannot happen', () => {
  it('with nothing in the ledger, says so and moves nothing', async () => {
    const run = await setUp();
    await expect(runManualRollback(request(run), deps(run))).rejects.toThrow(
      new InputError(
        'no earlier release of orders in production to roll back to (v1 is live): the ledger has no promoted release of orders in production; name a version to return to',
      ),
    );
    expect(await run.session.ledger.list()).toEqual([]);
  });

  it('when the platform refuses the rollback, ends failed and says how traffic stands', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    run.session.memory.platform.failNext('rollback', throttled);
    const result = await runManualRollback(request(run), deps(run));

    expect(result.exitCode).toBe(1);
    expect(result.record.outcome).toBe('failed');
    expect(result.record.reason).toBe(
      'rolling back to v2; rollback FAILED: Rate exceeded. Traffic may still be split: v3 at 100%. Run the deploy again (it reconciles first) or roll back by hand.',
    );
    expect(result.record.steps.map((s) => s.verdict)).toEqual(['error']);
    expect(types(run)).toEqual(['plan', 'prepare', 'failed']);
    expect((await run.session.ledger.list())[0]?.outcome).toBe('failed');
    expect(await run.traffic()).toBe('v3 at 100%');
  });

  it('when the platform says it rolled back but still serves the other version, ends failed saying so', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const { platform } = run.session;
    // A platform whose rollback call returns without effect (an eventually consistent API, say).
    const ignoring = Object.assign(Object.create(platform) as typeof platform, { rollback: async () => {} });
    const result = await runManualRollback(request(run), { ...deps(run), platform: ignoring });
    expect([result.record.outcome, result.record.verdict, result.exitCode]).toEqual(['failed', 'fail', 1]);
    expect(result.record.reason).toBe('the rollback to v2 did not take: the platform shows v3 at 100%');
  });

  it('when the platform cannot find the version, is blocked and moves nothing', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    run.session.memory.platform.failNext(
      'prepare',
      new Error('ResourceNotFoundException: version 2 was deleted'),
    );
    const { record, exitCode } = await runManualRollback(request(run), deps(run));
    expect([record.outcome, exitCode]).toEqual(['blocked', 1]);
    expect(record.reason).toBe(
      'could not find v2 on the platform, so nothing moved: ResourceNotFoundException: version 2 was deleted',
    );
    expect(await run.traffic()).toBe('v3 at 100%');
  });

  it('when the ledger refuses to record the start, nothing moves', async () => {
    const run = await setUp();
    await released(run, ['v1', 'v2', 'v3']);
    const { ledger } = run.session;
    const refusingLedger: Ledger = {
      list: (query) => ledger.list(query),
      begin: () => Promise.reject(new Error('disk full')),
      update: (record) => ledger.update(record),
      finish: (record) => ledger.finish(record),
    };
    const refusing = { ...deps(run), ledger: refusingLedger };
    await expect(runManualRollback(request(run), refusing)).rejects.toThrow(LedgerError);
    expect(await run.traffic()).toBe('v3 at 100%');
  });
});
