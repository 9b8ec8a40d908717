import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { readCloudClock } from '../../src/backends/local-backend';
import { runCli } from '../../src/cli';
import { modelled } from '../aws/validated-mock';
import { capture, MANIFEST, POLICY } from './cli-fixture';

const FN = 'securecart-production-order-processing';

const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-cli-local-'));
});
afterEach(() => {
  lambda.reset();
  cloudWatch.reset();
});

/** A control API that answers only the clock, as the local cloud's does. */
async function controlApi(answer: (path: string) => { status: number; body: unknown }): Promise<string> {
  const server: Server = createServer((req, res) => {
    const { status, body } = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const clockAnswer = (path: string) =>
  path === '/_tollgate/clock'
    ? { status: 200, body: { cloudOrigin: 1_000_000, realOrigin: 2_000_000, scale: 60, now: 5 } }
    : { status: 404, body: {} };

const deploy = () => [
  'deploy',
  ...['--policy', POLICY, '--env', 'production', '--version', '1.5.0', '--actor', 'ci'],
  ...['--manifest', MANIFEST, '--ledger', join(dir, 'ledger.jsonl'), '--report-dir', join(dir, 'reports')],
  ...['--backend', 'local', '--artifact', 'zip:/dev/null'],
];

describe('tollgate deploy --backend local', () => {
  it('names where it looked and how to start the local cloud when nothing answers', async () => {
    // Port 1 (tcpmux) has no listener on a development machine or a CI runner.
    const closed = 'http://127.0.0.1:1';
    await expect(readCloudClock(closed)).rejects.toThrow(
      new RegExp(`^no local cloud answers at ${closed} \\(.*\\); start it with \`npm run local-cloud\``),
    );
  });

  it('refuses an endpoint that is not a local cloud', async () => {
    const notFound = await controlApi(() => ({ status: 404, body: {} }));
    await expect(readCloudClock(notFound)).rejects.toThrow(
      `${notFound}/_tollgate/clock answered 404: is ${notFound} the local cloud?`,
    );
    const wrongBody = await controlApi(() => ({ status: 200, body: { scale: 'fast' } }));
    await expect(readCloudClock(wrongBody)).rejects.toThrow(
      `${wrongBody}/_tollgate/clock did not answer a time scale ({ cloudOrigin, realOrigin, scale })`,
    );
  });

  it('reads the time scale the control API answers', async () => {
    const endpoint = await controlApi(clockAnswer);
    expect(await readCloudClock(endpoint)).toEqual({
      cloudOrigin: 1_000_000,
      realOrigin: 2_000_000,
      scale: 60,
    });
  });

  it("runs the aws adapters against the local cloud's endpoint with the local credentials", async () => {
    const endpoint = await controlApi(clockAnswer);
    process.env.AWS_ENDPOINT_URL = endpoint;
    onTestFinished(() => {
      delete process.env.AWS_ENDPOINT_URL;
    });
    lambda.on(GetAliasCommand).resolves(
      modelled('@aws-sdk/client-lambda', 'GetAlias', {
        Name: 'live',
        FunctionVersion: '7',
        RevisionId: 'r1',
      }),
    );
    lambda.on(GetFunctionConfigurationCommand).resolves(
      modelled('@aws-sdk/client-lambda', 'GetFunctionConfiguration', {
        FunctionName: FN,
        Version: '7',
        Environment: { Variables: { RELEASE_VERSION: '1.4.0' } },
      }),
    );
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolves(
        modelled('@aws-sdk/client-cloudwatch', 'DescribeAlarms', { MetricAlarms: [], CompositeAlarms: [] }),
      );
    const { lines, output } = capture();

    const code = await runCli(deploy(), output);

    expect(lines.out[0]).toBe(
      `backend local: the local cloud at ${endpoint} (time ×60), lambda-alias, traces from X-Ray`,
    );
    expect(code).toBe(1);
    const config = await lambda.calls()[0]?.thisValue.config.credentials();
    expect(config).toMatchObject({ accessKeyId: 'LOCALCLOUDKEY' });
    expect(await lambda.calls()[0]?.thisValue.config.endpoint()).toMatchObject({
      hostname: '127.0.0.1',
      port: Number(new URL(endpoint).port),
    });
  });
});
