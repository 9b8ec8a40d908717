import { describe, expect, it } from 'vitest';
import { startRelease } from '../../src/release/context';
import { settleInterrupted } from '../../src/release/settle-interrupted';
import { platformPolicy, type Run, setUp } from '../scenarios/harness';

const WHY = 'the deploy step stopped before the release ended';

/** What a killed run leaves: its record open in the ledger and, with `weight`, v2 taking that share. */
async function interrupted(run: Run, weight?: number): Promise<string> {
  const request = {
    workload: run.session.platform.workload,
    environment: run.environment,
    version: 'v2',
    actor: 'ci',
  };
  const { record } = startRelease(request, {
    platform: run.session.platform,
    signals: run.session.signals,
    clock: run.session.clock,
    ledger: run.session.ledger,
    backend: 'memory',
  });
  await run.session.ledger.begin(record);
  const { platform } = run.session.memory;
  const revision = await platform.prepare({ version: 'v2' });
  if (weight !== undefined && platform.driver === 'engine') await platform.shift(revision, weight);
  if (weight !== undefined && platform.driver === 'platform')
    await platform.start(revision, run.environment.steps);
  return record.id;
}

function settle(run: Run) {
  const scope = { workload: run.session.platform.workload, environment: 'production' };
  return settleInterrupted(scope, { ...run.session }, WHY);
}

describe('settling a release whose run was killed', () => {
  it('rolls a canary in flight back and closes its record as rolled back', async () => {
    const run = await setUp();
    const id = await interrupted(run, 10);
    expect(await run.traffic()).toBe('v1 at 90%, v2 at 10%');

    expect(await settle(run)).toEqual({
      action: 'rolled-back',
      traffic: 'v1 at 100%',
      closed: [id],
      problems: [],
    });
    expect(await run.traffic()).toBe('v1 at 100%');
    const [record] = await run.session.ledger.list();
    expect([record?.outcome, record?.verdict, record?.reason]).toEqual([
      'rolled-back',
      'error',
      `${WHY}; rolled v2 back: v1 at 100%`,
    ]);
    expect(record?.events.map((event) => event.type)).toEqual(['reconcile', 'rollback']);
  });

  it('stops a deployment the platform runs by itself and returns traffic to the stable version', async () => {
    const run = await setUp({ yaml: platformPolicy() });
    await interrupted(run, 10);
    const settled = await settle(run);
    expect([settled.action, settled.traffic]).toEqual(['rolled-back', 'v1 at 100%']);
    expect((await run.session.platform.current()).deployment?.state).not.toBe('running');
  });

  it('with nothing in flight, closes the open record as abandoned and moves nothing', async () => {
    const run = await setUp();
    const id = await interrupted(run);
    expect(await settle(run)).toEqual({
      action: 'nothing',
      traffic: 'v1 at 100%',
      closed: [id],
      problems: [],
    });
    const [record] = await run.session.ledger.list();
    expect([record?.outcome, record?.verdict, record?.reason]).toEqual([
      'abandoned',
      undefined,
      `${WHY}; nothing was in flight: v1 at 100%`,
    ]);
  });

  it('when the rollback fails, says traffic may still be split and closes the record as failed', async () => {
    const run = await setUp();
    await interrupted(run, 10);
    run.session.memory.platform.failNext('rollback', new Error('Rate exceeded'));
    const settled = await settle(run);
    expect(settled.action).toBe('failed');
    expect(settled.traffic).toMatch(
      /rollback FAILED: Rate exceeded\. Traffic may still be split: v1 at 90%, v2 at 10%/,
    );
    expect((await run.session.ledger.list())[0]?.outcome).toBe('failed');
  });

  it('with no open record and nothing in flight, does nothing at all', async () => {
    const run = await setUp();
    expect(await settle(run)).toEqual({ action: 'nothing', traffic: 'v1 at 100%', closed: [], problems: [] });
    expect(await run.session.ledger.list()).toEqual([]);
  });
});
