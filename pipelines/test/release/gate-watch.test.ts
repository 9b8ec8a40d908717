import { describe, expect, it } from 'vitest';
import { environmentOf, parsePolicy } from '../../src/policy/load-policy';
import type { PolicyEnvironment } from '../../src/policy/target-checks';
import { type GateWatchDeps, watchGates } from '../../src/release/gate-watch';
import { gateJson, gateMarkdown } from '../../src/report/gate-report';
import { TEST_MANIFEST } from '../fixtures/manifest';
import { ALARM, enginePolicy, type Run, type SetUpOptions, setUp } from '../scenarios/harness';

const MINUTE = 60_000;

async function watch(options: SetUpOptions & { windowMs?: number } = {}) {
  const run = await setUp(options);
  return { run, watch: () => watchOf(run, options.windowMs ?? 5 * MINUTE) };
}

function watchOf(
  run: Run,
  windowMs: number,
  overrides: Partial<GateWatchDeps> = {},
  environment: PolicyEnvironment = run.environment,
) {
  const deps: GateWatchDeps = {
    platform: run.session.platform,
    signals: run.session.signals,
    clock: run.session.clock,
    backend: 'memory',
    onEvent: (event) => run.events.push(event),
    ...overrides,
  };
  return watchGates({ workload: 'orders', environment, windowMs }, deps);
}

const pollTimes = (run: Run) =>
  run.events.filter((event) => event.type === 'poll').map((event) => event.at - (run.events[0]?.at ?? 0));

describe('watching gates without deploying', () => {
  it('passes when every poll over the whole window passes, and moves nothing', async () => {
    const { run, watch: go } = await watch();
    const start = run.session.clock.now();
    const result = await go();

    expect(result.verdict).toBe('pass');
    expect(result.exitCode).toBe(0);
    expect(result.reason).toBe('after 5m (11 polls): every poll passed; 1 gate readings pass');
    expect(pollTimes(run)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => i * 30_000));
    expect(result.finishedAt - start).toBe(5 * MINUTE);
    expect(result.traffic).toBe('v1 at 100%');
    expect(result.compared).toBeUndefined();
    expect(result.readings.map((r) => [r.gate, r.metric, r.verdict])).toEqual([
      ['platform', 'traffic', 'pass'],
      ['alarm', ALARM, 'pass'],
    ]);
    expect(run.session.memory.platform.history).toHaveLength(1);
  });

  it('fails at the poll where a gating alarm fired, and stops watching', async () => {
    const { run, watch: go } = await watch();
    const { clock, alarms } = run.session.memory;
    clock.at(clock.now() + 2 * MINUTE + 10_000, () =>
      alarms.set(ALARM, 'ALARM', 'Threshold Crossed: 5xx above 1%'),
    );
    const result = await go();

    expect(result.verdict).toBe('fail');
    expect(result.exitCode).toBe(1);
    expect(result.reason).toBe(`at 2m30s (poll 6): ${ALARM}: in ALARM: Threshold Crossed: 5xx above 1%`);
    expect(result.polls).toBe(6);
    expect(pollTimes(run).at(-1)).toBe(150_000);
    expect(run.events.at(-1)?.type).toBe('step-failed');
  });

  it('ends as error, never a pass, when a gating alarm is missing', async () => {
    const { run, watch: go } = await watch();
    run.session.memory.alarms.delete(ALARM);
    const result = await go();
    expect([result.verdict, result.exitCode, result.polls]).toEqual(['error', 1, 1]);
    expect(result.reason).toBe(
      `at 0s (poll 1): ${ALARM}: no such alarm (a typo, or another account or Region?)`,
    );
  });

  it('ends as error when the alarms cannot be read mid-window', async () => {
    const { run, watch: go } = await watch();
    const { clock, alarms } = run.session.memory;
    clock.at(clock.now() + MINUTE, () => alarms.failReads(new Error('ThrottlingException: Rate exceeded')));
    const result = await go();
    expect(result.verdict).toBe('error');
    expect(result.reason).toBe(
      `at 1m (poll 3): ${ALARM}: could not be read: ThrottlingException: Rate exceeded`,
    );
  });

  it('with no gates configured says so and is inconclusive, without waiting', async () => {
    // Only a non-production environment may go ungated.
    const ungated =
      'workload: orders\nplatform: lambda\nenvironments:\n  staging:\n    strategy: all-at-once\n';
    const environment = environmentOf(parsePolicy(ungated, 'orders.yml', TEST_MANIFEST), 'staging');
    const { run } = await watch();
    const start = run.session.clock.now();
    const result = await watchOf(run, 5 * MINUTE, {}, environment);
    expect([result.verdict, result.exitCode, result.polls, result.environment]).toEqual([
      'inconclusive',
      3,
      0,
      'staging',
    ]);
    expect(result.reason).toBe(
      'no gates to watch: the environment has no gating alarms, and no latency or error gates either; a watch without gates is never a pass',
    );
    expect(run.session.clock.now()).toBe(start);
  });

  it('with only trace gates and traffic not split, says there is nothing to compare', async () => {
    const gates = 'latency: { p50Increase: 10% }\nminSamples: 100';
    const { watch: go } = await watch({ yaml: enginePolicy(gates) });
    const result = await go();
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toContain(
      'its latency and error gates compare a canary with its baseline, and traffic is not split (v1 at 100%)',
    );
  });

  it('is inconclusive when an alarm was short of data during the window and the policy blocks on that', async () => {
    const gates = `alarms: [${ALARM}]\nalarmInsufficientData: block`;
    const { run, watch: go } = await watch({ yaml: enginePolicy(gates) });
    const { clock, alarms } = run.session.memory;
    alarms.set(ALARM, 'INSUFFICIENT_DATA', 'no datapoints');
    clock.at(clock.now() + MINUTE, () => alarms.set(ALARM, 'OK', 'recovered'));
    const result = await go();
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toBe(
      `after 5m (11 polls): an alarm was short of data during the window (${ALARM}: INSUFFICIENT_DATA, blocks until it has data (policy: block))`,
    );
  });

  it('fails when traffic changes under the watch', async () => {
    const { run, watch: go } = await watch();
    const { clock, platform } = run.session.memory;
    if (platform.driver !== 'engine') throw new Error('expected the engine-driven platform');
    const revision = await platform.prepare({ version: 'v2' });
    clock.at(clock.now() + MINUTE + 1, () => void platform.shift(revision, 10));
    const result = await go();
    expect(result.verdict).toBe('fail');
    expect(result.reason).toBe(
      'at 1m30s (poll 4): traffic: traffic changed outside this release: v1 at 90%, v2 at 10%',
    );
  });

  it('ends as error when cancelled, at once', async () => {
    const { run } = await watch();
    const controller = new AbortController();
    const { clock } = run.session.memory;
    clock.at(clock.now() + MINUTE, () => controller.abort(new Error('received SIGTERM')));
    const result = await watchOf(run, 5 * MINUTE, { signal: controller.signal });
    expect(result.verdict).toBe('error');
    expect(result.reason).toBe(
      'the watch was cancelled after 1m (received SIGTERM), so the window was not watched to its end',
    );
  });
});

describe('watching a canary in flight', () => {
  async function withCanary(scenario: NonNullable<SetUpOptions['scenario']>) {
    const { run } = await watch({ scenario, requestsPerSecond: 100 });
    const { platform } = run.session.memory;
    if (platform.driver !== 'engine') throw new Error('expected the engine-driven platform');
    await platform.shift(await platform.prepare({ version: 'v2' }), 50);
    return run;
  }

  it('compares canary and baseline from traces, as a bake does, and passes a healthy one', async () => {
    const run = await withCanary('healthy');
    const result = await watchOf(run, 10 * MINUTE);
    expect(result.compared).toEqual({ canary: 'v2', baseline: 'v1' });
    expect(result.traffic).toBe('v1 at 50%, v2 at 50%');
    expect(result.verdict).toBe('pass');
    const gates = new Set(result.readings.map((r) => r.gate));
    expect(gates).toEqual(new Set(['platform', 'alarm', 'latency', 'errors']));
  });

  it('fails a canary that is slower than its baseline', async () => {
    const run = await withCanary('slow-canary');
    const result = await watchOf(run, 10 * MINUTE);
    expect(result.verdict).toBe('fail');
    expect(result.reason).toMatch(/^at \d+m(\d+s)? \(poll \d+\): p50 latency: /);
    expect(result.polls).toBeLessThan(21);
  });
});

describe('the report of a watch', () => {
  it('states the verdict, the window, every poll, and that the signals were simulated', async () => {
    const { run, watch: go } = await watch({ windowMs: MINUTE });
    run.session.memory.alarms.set(ALARM, 'OK', 'Threshold Crossed: no datapoints were breaching');
    const result = await go();
    const markdown = gateMarkdown(result);
    expect(markdown.split('\n')[0]).toBe(
      '## ✅ pass: gates of orders in production (watched, nothing moved)',
    );
    expect(markdown).toContain(
      '**Simulated** (memory backend): the signals are simulated. **Window:** 1m, polled every 30s · **Polls:** 3 · **Traffic:** v1 at 100%',
    );
    expect(markdown).toContain(`| alarm | ${ALARM} | OK | — | — | ✅ pass | OK |`);
    expect(markdown.match(/\| poll \|/g)).toHaveLength(3);
    const json = JSON.parse(gateJson(result)) as {
      kind: string;
      simulated: boolean;
      verdict: string;
      events: unknown[];
    };
    expect([json.kind, json.simulated, json.verdict, json.events.length]).toEqual(['gate', true, 'pass', 5]);
  });
});
