import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoryBackend } from '../../src/backends/memory-backend';
import type { ScenarioName } from '../../src/backends/memory-scenarios';
import { GitHubDeploymentsLedger } from '../../src/ledger/github-deployments-ledger';
import { environmentOf, parsePolicy } from '../../src/policy/load-policy';
import { runRelease } from '../../src/release/run-release';
import { TEST_MANIFEST } from '../fixtures/manifest';
import { enginePolicy } from '../scenarios/harness';
import { GitHubApiServer } from './github-api-server';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const RUN = 'https://github.com/acme/shop/actions/runs/7';

let server: GitHubApiServer;
let ledger: GitHubDeploymentsLedger;

beforeEach(async () => {
  server = new GitHubApiServer('acme', 'shop', 'ghs_round_trip');
  const baseUrl = await server.start();
  ledger = new GitHubDeploymentsLedger({
    token: 'ghs_round_trip',
    baseUrl,
    owner: 'acme',
    repo: 'shop',
    ref: SHA,
    logUrl: RUN,
  });
});

afterEach(async () => {
  await server.stop();
});

/** A whole release of `orders` to production on the memory backend, recorded in (fake) GitHub Deployments. */
async function release(scenario: ScenarioName, version = 'v2') {
  const loaded = parsePolicy(enginePolicy(), 'test-policy.yml', TEST_MANIFEST);
  const environment = environmentOf(loaded, 'production');
  const session = await openMemoryBackend(
    { workload: 'orders', environment, version },
    {
      scenario,
      seed: 1,
      requestsPerSecond: 50,
      initialStable: 'v1',
      startAt: Date.parse('2026-01-01T00:00:00Z'),
    },
  );
  const deps = {
    platform: session.platform,
    signals: session.signals,
    clock: session.clock,
    ledger,
    backend: 'memory' as const,
  };
  return runRelease({ workload: 'orders', environment, version, actor: 'alice' }, deps);
}

const states = (index: number) => server.statusesOf(index).map((status) => status.state);

describe('a whole release recorded in GitHub Deployments', () => {
  it('promotes through both steps and reads back as it ended', async () => {
    const { record, exitCode, problems } = await release('healthy');

    expect([record.outcome, exitCode, problems]).toEqual(['promoted', 0, []]);
    expect(server.deployments.map((d) => [d.task, d.environment, d.ref])).toEqual([
      ['deploy:orders', 'production', SHA],
    ]);
    expect(states(0)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success']);
    expect(server.statusesOf(0).at(-1)?.description).toBe(`promoted, from v1, after 10m: ${record.reason}`);
    expect(server.statusesOf(0).every((status) => status.log_url === RUN)).toBe(true);

    const [read] = await ledger.list({ workload: 'orders', environment: 'production' });
    const {
      steps: _steps,
      events: _events,
      verdict: _verdict,
      fromRevision: _f,
      toRevision: _t,
      ...summary
    } = record;
    expect(read).toEqual({ ...summary, steps: [], events: [], approvals: [] });
  });

  it('rolls back a slow canary and says so with a failure status', async () => {
    const { record } = await release('slow-canary');

    expect(record.outcome).toBe('rolled-back');
    expect(states(0)).toEqual(['in_progress', 'failure']);
    const [read] = await ledger.list();
    expect([read?.outcome, read?.fromVersion, read?.toVersion, read?.finishedAt]).toEqual([
      'rolled-back',
      'v1',
      'v2',
      record.finishedAt,
    ]);
    expect(record.reason.startsWith(read?.reason.replace(/…$/, '') ?? '-')).toBe(true);
  });

  it('closes a release an earlier run left open as abandoned, with an error status', async () => {
    await release('healthy');
    const [done] = await ledger.list();
    if (!done) throw new Error('the first release was not recorded');
    const { finishedAt: _finished, ...open } = done;
    const killed = { ...open, id: 'orders/production/v3/killed', toVersion: 'v3', reason: 'started' };
    await ledger.begin({ ...killed, outcome: 'in-progress' });

    const { record } = await release('healthy', 'v4');

    expect(record.outcome).toBe('promoted');
    expect(states(1)).toEqual(['in_progress', 'error']);
    const closed = (await ledger.list()).find((r) => r.id === killed.id);
    expect(closed?.outcome).toBe('abandoned');
    expect(closed?.reason).toMatch(/^its run stopped before finishing; when orders\/production\/v4\//);
  });
});
