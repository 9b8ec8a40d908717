import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvironmentReviews } from '../../runner/environment-reviews';

/** The review history endpoint as GitHub answers it (fields the action reads, plus some it does not). */
const HISTORY = [
  {
    state: 'approved',
    comment: 'staging report reads fine',
    environments: [
      { id: 161088068, name: 'production', url: 'https://api.github.com/repos/o/r/environments/production' },
    ],
    user: { login: 'maria', id: 1, type: 'User' },
  },
  {
    state: 'rejected',
    comment: '',
    environments: [{ id: 7, name: 'staging' }],
    user: { login: 'li', id: 2 },
  },
];

let close: (() => void) | undefined;
afterEach(() => close?.());

async function github(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { method: string | undefined; url: string | undefined; authorization: string | undefined }[] =
    [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ledger = {
    kind: 'github' as const,
    token: 'ghs_test',
    repository: { owner: 'securecart', repo: 'shop' },
    sha: 'a'.repeat(40),
    runId: '4242',
    apiUrl,
  };
  return { seen, ledger };
}

const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

describe("the run's environment reviews", () => {
  it('are read from the run’s review history and kept as who, what, where and why', async () => {
    const { seen, ledger } = await github(json(200, HISTORY));
    const warnings: string[] = [];
    expect(await readEnvironmentReviews(ledger, (w) => warnings.push(w))).toEqual([
      { by: 'maria', state: 'approved', environments: ['production'], comment: 'staging report reads fine' },
      { by: 'li', state: 'rejected', environments: ['staging'], comment: '' },
    ]);
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/repos/securecart/shop/actions/runs/4242/approvals',
        authorization: 'token ghs_test',
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('that cannot be read are a warning and none, never a failure', async () => {
    const { ledger } = await github(json(403, { message: 'Resource not accessible by integration' }));
    const warnings: string[] = [];
    expect(await readEnvironmentReviews(ledger, (w) => warnings.push(w))).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^could not read who approved this run's environments, so the report does not say: .*Resource not accessible by integration/,
      ),
    ]);
  });

  it('are not asked for outside a workflow run', async () => {
    const { seen, ledger } = await github(json(200, HISTORY));
    const { runId: _, ...noRun } = ledger;
    expect(await readEnvironmentReviews(noRun, () => {})).toEqual([]);
    expect(seen).toEqual([]);
  });
});
