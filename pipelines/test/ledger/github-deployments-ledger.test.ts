import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubDeploymentsLedger } from '../../src/ledger/github-deployments-ledger';
import { LedgerError } from '../../src/ledger/ledger';
import type { GitHubApiServer } from './github-api-server';
import { ended, RUN, record, SHA, START, startGitHub } from './github-ledger-fixture';

let server: GitHubApiServer;
let ledger: Awaited<ReturnType<typeof startGitHub>>['ledger'];

beforeEach(async () => {
  ({ server, ledger } = await startGitHub());
});

afterEach(async () => {
  await server.stop();
});

const posts = () => server.requests.filter((r) => r.method === 'POST');

describe('GitHub Deployments ledger: what it writes', () => {
  it('begins a release as a deployment of the commit, gated by Tollgate alone, then an in_progress status', async () => {
    await ledger().begin(record());

    const [create, status] = posts();
    expect(create?.path).toBe('/repos/acme/shop/deployments');
    expect(create?.body).toEqual({
      ref: SHA,
      task: 'deploy:orders',
      auto_merge: false,
      required_contexts: [],
      environment: 'production',
      description: 'Tollgate: orders v2 to production by alice (aws)',
      transient_environment: false,
      production_environment: true,
      payload: {
        tollgate: 1,
        id: `orders/production/v2/${START}`,
        workload: 'orders',
        environment: 'production',
        platform: 'lambda',
        backend: 'aws',
        method: 'lambda-alias',
        driver: 'engine',
        fromVersion: 'unknown',
        toVersion: 'v2',
        actor: 'alice',
        startedAt: START,
        reason: 'started',
        plan: [
          { weight: 10, bakeMs: 300_000 },
          { weight: 100, bakeMs: 0 },
        ],
        limits: [],
      },
    });
    expect(status?.path).toBe('/repos/acme/shop/deployments/1/statuses');
    expect(status?.body).toEqual({
      state: 'in_progress',
      description: 'in progress, after 0s: started',
      auto_inactive: false,
      log_url: RUN,
    });
  });

  it('marks only the environments it is told are production as production', async () => {
    const staging = ledger({ productionEnvironments: ['prod'] });
    await staging.begin(record({ environment: 'prod', id: 'a' }));
    await staging.begin(record({ environment: 'production', id: 'b' }));
    expect(
      posts()
        .filter((r) => r.path.endsWith('/deployments'))
        .map((r) => r.body?.production_environment),
    ).toEqual([true, false]);
  });

  it('writes every step as a status: progress, a hold, an approval, the end', async () => {
    const gh = ledger();
    const begun = record();
    await gh.begin(begun);
    await gh.update({
      ...begun,
      fromVersion: 'v1',
      reason: 'step 1 (10%) passed',
      updatedAt: START + 300_000,
    });
    await gh.update({
      ...begun,
      fromVersion: 'v1',
      outcome: 'held',
      reason: 'step 2 inconclusive',
      updatedAt: START + 600_500,
    });
    await gh.update({ ...begun, fromVersion: 'v1', reason: 'approved by bob', updatedAt: START + 3_723_125 });
    await gh.finish(ended(begun, 'promoted', 'v2 passed every step', 3_900_000));

    expect(server.statusesOf(0).map((s) => [s.state, s.description])).toEqual([
      ['in_progress', 'in progress, after 0s: started'],
      ['in_progress', 'in progress, from v1, after 5m: step 1 (10%) passed'],
      ['queued', 'held, from v1, after 10m0.5s: step 2 inconclusive'],
      ['in_progress', 'in progress, from v1, after 1h2m3.125s: approved by bob'],
      ['success', 'promoted, from v1, after 1h5m: v2 passed every step'],
    ]);
    expect(server.deployments).toHaveLength(1);
  });

  it.each([
    ['promoted', 'success', 'promoted, from v1, after 10m: v2 passed every step'],
    ['rolled-back', 'failure', 'rolled back, from v1, after 10m: p50 latency +45% (limit 10%)'],
    ['blocked', 'failure', 'blocked, from v1, after 10m: shop-production-orders-5xx is in ALARM'],
    ['failed', 'failure', 'failed, from v1, after 10m: could not shift traffic; v2 holds 10%'],
    ['abandoned', 'error', 'abandoned, from v1, after 10m: its run stopped before finishing'],
  ] as const)('finishes a %s release with a %s status', async (outcome, state, description) => {
    const reason = description.slice(description.indexOf(': ') + 2);
    const gh = ledger();
    await gh.begin(record());
    await gh.finish(ended(record(), outcome, reason, 600_000));
    expect(server.statusesOf(0).at(-1)).toMatchObject({ state, description });
  });

  it('cuts a long reason to fit GitHub’s 140 characters, on one line, and says it was cut', async () => {
    const gh = ledger();
    await gh.begin(record());
    const reason = `p99 latency +310% (limit 30%);\n${'errors +4% (limit 1%); '.repeat(10)}`;
    await gh.finish(ended(record(), 'rolled-back', reason, 60_000));

    const description = server.statusesOf(0).at(-1)?.description ?? '';
    expect(description).toHaveLength(140);
    expect(
      description.startsWith('rolled back, from v1, after 1m: p99 latency +310% (limit 30%); errors +4%'),
    ).toBe(true);
    expect(description.endsWith('…')).toBe(true);
    const [read] = await ledger().list();
    expect(read?.reason).toBe(description.slice('rolled back, from v1, after 1m: '.length));
  });
});

describe('GitHub Deployments ledger: what it reads back', () => {
  it('reconstructs the latest state of each release, newest first, in a new process', async () => {
    const writer = ledger();
    const first = record({ startedAt: START, id: 'orders/production/v2/1' });
    const second = record({
      startedAt: START + 3_600_000,
      id: 'orders/production/v3/2',
      toVersion: 'v3',
      actor: 'bob',
    });
    await writer.begin(first);
    await writer.finish(ended(first, 'rolled-back', 'p50 latency +45% (limit 10%)', 612_345));
    await writer.begin(second);
    await writer.update({
      ...second,
      fromVersion: 'v1',
      outcome: 'held',
      reason: 'step 1 inconclusive',
      updatedAt: second.startedAt + 300_000,
    });

    const records = await ledger().list();

    expect(records).toEqual([
      {
        ...second,
        steps: [],
        events: [],
        approvals: [],
        fromVersion: 'v1',
        outcome: 'held',
        reason: 'step 1 inconclusive',
        updatedAt: second.startedAt + 300_000,
      },
      { ...ended(first, 'rolled-back', 'p50 latency +45% (limit 10%)', 612_345) },
    ]);
  });

  it('filters by workload and environment with the API’s own task and environment filters', async () => {
    const gh = ledger();
    await gh.begin(record({ id: 'orders-prod', startedAt: 1 }));
    await gh.begin(record({ id: 'orders-staging', environment: 'staging', startedAt: 2 }));
    await gh.begin(record({ id: 'payments-prod', workload: 'payments', startedAt: 3 }));
    server.requests.length = 0;

    const ids = async (query: Parameters<GitHubDeploymentsLedger['list']>[0]) =>
      (await ledger().list(query)).map((r) => r.id);
    expect(await ids({ workload: 'orders' })).toEqual(['orders-staging', 'orders-prod']);
    expect(await ids({ environment: 'production' })).toEqual(['payments-prod', 'orders-prod']);
    expect(await ids({ workload: 'orders', environment: 'staging' })).toEqual(['orders-staging']);
    expect(await ids({})).toEqual(['payments-prod', 'orders-staging', 'orders-prod']);
    const listQueries = server.requests.filter((r) => r.path.endsWith('/deployments')).map((r) => r.query);
    expect(listQueries[0]).toEqual({ per_page: '100', task: 'deploy:orders' });
    expect(listQueries[1]).toEqual({ per_page: '100', environment: 'production' });
  });

  it('follows Link pages and reads statuses only for the releases the limit keeps', async () => {
    const gh = ledger({ pageSize: 2 });
    for (let i = 1; i <= 5; i++) await gh.begin(record({ id: `r${i}`, startedAt: i }));
    server.requests.length = 0;

    const records = await ledger({ pageSize: 2 }).list({ workload: 'orders', limit: 2 });

    expect(records.map((r) => r.id)).toEqual(['r5', 'r4']);
    const gets = server.requests.filter((r) => r.method === 'GET');
    expect(gets.filter((r) => r.path.endsWith('/deployments')).map((r) => r.query.page ?? '1')).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(gets.filter((r) => r.path.endsWith('/statuses')).map((r) => r.path)).toEqual([
      '/repos/acme/shop/deployments/5/statuses',
      '/repos/acme/shop/deployments/4/statuses',
    ]);
  });

  it('reads at most maxDeployments deployments', async () => {
    const gh = ledger({ pageSize: 2 });
    for (let i = 1; i <= 5; i++) await gh.begin(record({ id: `r${i}`, startedAt: i }));
    server.requests.length = 0;

    const records = await ledger({ pageSize: 2, maxDeployments: 3 }).list();

    expect(records.map((r) => r.id)).toEqual(['r5', 'r4', 'r3']);
    const pages = server.requests
      .filter((r) => r.path.endsWith('/deployments'))
      .map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2']);
  });

  it('passes over deployments and statuses it did not write', async () => {
    const gh = ledger();
    const foreign = server.addForeignDeployment({
      environment: 'production',
      task: 'deploy:orders',
      payload: { app: 'x' },
    });
    server.addStatus(foreign, 'success', 'deployed by another tool');
    await gh.begin(record());
    await gh.finish(ended(record(), 'promoted', 'v2 passed every step', 600_000));
    server.addStatus(server.deployments[1] as never, 'inactive', '');

    const records = await ledger().list({ workload: 'orders' });

    expect(records.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      [record().id, 'promoted', 'v2 passed every step'],
    ]);
  });

  it('reads a release whose first status never arrived as begun and still open', async () => {
    server.failNext('POST', /\/statuses$/, 502, { message: 'Server Error' });
    await expect(ledger().begin(record())).rejects.toThrow(LedgerError);

    const [read] = await ledger().list();
    expect(read).toEqual(record());
  });
});
