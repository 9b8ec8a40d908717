import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerError } from '../../src/ledger/ledger';
import type { GitHubApiServer } from './github-api-server';
import { ended, record, startGitHub } from './github-ledger-fixture';

let server: GitHubApiServer;
let ledger: Awaited<ReturnType<typeof startGitHub>>['ledger'];

beforeEach(async () => {
  ({ server, ledger } = await startGitHub());
});

afterEach(async () => {
  await server.stop();
});

const posts = () => server.requests.filter((r) => r.method === 'POST');

describe('GitHub Deployments ledger: the lifecycle holds', () => {
  it('refuses a release begun twice, even from another process', async () => {
    await ledger().begin(record());
    await expect(ledger().begin(record())).rejects.toThrow(`release ${record().id} was already begun`);
    expect(server.deployments).toHaveLength(1);
  });

  it('refuses an update or finish of a release never begun', async () => {
    await expect(ledger().update(record())).rejects.toThrow(`release ${record().id} was never begun`);
    await expect(ledger().finish(ended(record(), 'promoted', 'ok', 1))).rejects.toThrow('was never begun');
    expect(posts()).toEqual([]);
  });

  it('refuses any change to a finished release, as GitHub shows it', async () => {
    await ledger().begin(record());
    await ledger().finish(ended(record(), 'rolled-back', 'p50 latency', 1000));
    const later = ledger();
    await expect(later.update(record())).rejects.toThrow('already finished as rolled-back; it cannot change');
    await expect(later.finish(ended(record(), 'abandoned', 'x', 2000))).rejects.toThrow(LedgerError);
    expect(server.statusesOf(0)).toHaveLength(2);
  });

  it('refuses to finish an open outcome or to update with a closed one', async () => {
    const gh = ledger();
    await gh.begin(record());
    await expect(gh.finish(record({ outcome: 'held' }))).rejects.toThrow('cannot finish as held');
    await expect(gh.update(ended(record(), 'promoted', 'x', 1))).rejects.toThrow('record that with finish');
  });
});

describe('GitHub Deployments ledger: when GitHub refuses', () => {
  it('says the job needs deployments: write when the token may not write them', async () => {
    server.failNext('POST', /\/deployments$/, 403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '403',
    });
    const failure = ledger().begin(record());
    await expect(failure).rejects.toThrow(LedgerError);
    await expect(failure).rejects.toThrow(
      `could not create the deployment of ${record().id} in the GitHub Deployments of acme/shop: HTTP 403 Resource not accessible by integration; the job needs \`permissions: deployments: write\` for its GITHUB_TOKEN`,
    );
  });

  it('passes on a 422 with its validation errors', async () => {
    server.failNext('POST', /\/deployments$/, 422, {
      message: 'Validation Failed',
      errors: [{ resource: 'Deployment', field: 'ref', code: 'invalid' }, 'No ref found for: a84d88e'],
    });
    await expect(ledger().begin(record())).rejects.toThrow(
      'HTTP 422 Validation Failed (ref invalid; No ref found for: a84d88e)',
    );
  });

  it('says which status could not be written', async () => {
    const gh = ledger();
    await gh.begin(record());
    server.failNext('POST', /\/statuses$/, 500, { message: 'Server Error' });
    await expect(gh.finish(ended(record(), 'promoted', 'ok', 1))).rejects.toThrow(
      `could not record ${record().id} as promoted (deployment 1) in the GitHub Deployments of acme/shop: HTTP 500 Server Error`,
    );
  });

  it('says a bad token is one', async () => {
    await expect(ledger({ token: 'ghs_wrong' }).list()).rejects.toThrow(
      'could not list the deployments in the GitHub Deployments of acme/shop: HTTP 401 Bad credentials; the token is missing, expired or revoked',
    );
  });

  it('says when GitHub cannot be reached, without the token', async () => {
    await server.stop();
    const failure = ledger({ token: 'ghs_secret_value' }).list();
    await expect(failure).rejects.toThrow(
      /could not list the deployments in the GitHub Deployments of acme\/shop: no answer from GitHub/,
    );
    await expect(failure).rejects.not.toThrow(/ghs_secret_value/);
  });

  it('refuses options it cannot work with, naming them', () => {
    expect(() => ledger({ ref: '' })).toThrow(
      'the GitHub Deployments ledger needs option "ref"; it is empty',
    );
    expect(() => ledger({ pageSize: 250 })).toThrow(
      'option "pageSize" is 250; GitHub serves 1 to 100 items per page',
    );
    expect(() => ledger({ baseUrl: 'api.github' })).toThrow('option "baseUrl" is "api.github", not a URL');
  });
});

describe('GitHub Deployments ledger: when GitHub does not answer', () => {
  it('gives up on a request after requestTimeoutMs, paginated ones too, and says so', async () => {
    await ledger().begin(record());
    server.hangNext('GET', /\/deployments$/);
    const started = Date.now();
    await expect(ledger({ requestTimeoutMs: 300 }).list()).rejects.toThrow(
      'could not list the deployments in the GitHub Deployments of acme/shop: GitHub did not answer in time',
    );
    server.hangNext('GET', /\/statuses$/);
    await expect(
      ledger({ requestTimeoutMs: 300 }).finish(ended(record(), 'promoted', 'ok', 1)),
    ).rejects.toThrow(
      `could not read the statuses of deployment 1 (${record().id}) in the GitHub Deployments of acme/shop: GitHub did not answer in time`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
