import type { GitHubDeploymentsLedgerOptions } from '../../src/ledger/github-deployments-ledger';
import { GitHubDeploymentsLedger } from '../../src/ledger/github-deployments-ledger';
import type { ReleaseOutcome, ReleaseRecord } from '../../src/record/record';
import { GitHubApiServer } from './github-api-server';

export const SHA = 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d';
export const RUN = 'https://github.com/acme/shop/actions/runs/42';
export const START = Date.parse('2026-01-01T00:00:00Z');
const TOKEN = 'ghs_test';

/** An `orders` release to production as the engine begins it; `overrides` change any field. */
export function record(overrides: Partial<ReleaseRecord> = {}): ReleaseRecord {
  const startedAt = overrides.startedAt ?? START;
  return {
    id: `orders/production/v2/${startedAt}`,
    workload: 'orders',
    environment: 'production',
    platform: 'lambda',
    backend: 'aws',
    method: 'lambda-alias',
    driver: 'engine',
    fromVersion: 'unknown',
    toVersion: 'v2',
    actor: 'alice',
    startedAt,
    updatedAt: startedAt,
    outcome: 'in-progress',
    reason: 'started',
    plan: [
      { weight: 10, bakeMs: 300_000 },
      { weight: 100, bakeMs: 0 },
    ],
    steps: [],
    approvals: [],
    limits: [],
    events: [],
    ...overrides,
  };
}

/** The record as the engine has it at the end, with `outcome` and `reason` `at` ms after the start. */
export function ended(
  base: ReleaseRecord,
  outcome: ReleaseOutcome,
  reason: string,
  at: number,
): ReleaseRecord {
  return {
    ...base,
    fromVersion: 'v1',
    outcome,
    reason,
    updatedAt: base.startedAt + at,
    finishedAt: base.startedAt + at,
  };
}

/** A fake GitHub for acme/shop, and ledgers pointed at it (each a new process as far as caching goes). */
export async function startGitHub(): Promise<{
  server: GitHubApiServer;
  ledger: (options?: Partial<GitHubDeploymentsLedgerOptions>) => GitHubDeploymentsLedger;
}> {
  const server = new GitHubApiServer('acme', 'shop', TOKEN);
  const baseUrl = await server.start();
  const ledger = (options: Partial<GitHubDeploymentsLedgerOptions> = {}) =>
    new GitHubDeploymentsLedger({
      token: TOKEN,
      baseUrl,
      owner: 'acme',
      repo: 'shop',
      ref: SHA,
      logUrl: RUN,
      ...options,
    });
  return { server, ledger };
}
