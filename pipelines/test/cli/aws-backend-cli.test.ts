import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { expectValidRequests, modelled } from '../aws/validated-mock';
import { capture, MANIFEST, POLICY } from './cli-fixture';

const FN = 'securecart-production-order-processing';

const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-cli-aws-'));
});
afterEach(() => {
  lambda.reset();
  cloudWatch.reset();
});

const deploy = (...extra: string[]) => [
  'deploy',
  ...['--policy', POLICY, '--env', 'production', '--version', '1.5.0', '--actor', 'ci'],
  ...['--manifest', MANIFEST, '--ledger', join(dir, 'ledger.jsonl'), '--report-dir', join(dir, 'reports')],
  '--backend',
  'aws',
  ...extra,
];

describe('tollgate deploy --backend aws', () => {
  it.each([
    [
      ['--scenario', 'slow-canary'],
      '--scenario only shapes the simulation (--backend memory); --backend aws does not take it',
    ],
    [
      ['--seed', '4', '--rps', '10'],
      '--seed, --rps only shape the simulation (--backend memory); --backend aws does not take them',
    ],
    [['--artifact', 'nope'], '--artifact "nope" is not an artifact; what to stage: image:<uri>'],
    [['--artifact', 's3://Bad_Bucket/key'], '--artifact "s3://Bad_Bucket/key" is not an S3 object'],
    [['--artifact', 'image:checkout'], '--artifact image "checkout" is not an image reference'],
  ])('refuses %j with exit 2, before any AWS call', async (extra, message) => {
    const { lines, output } = capture();
    expect(await runCli(deploy(...extra), output)).toBe(2);
    expect(lines.err.join('\n')).toContain(`tollgate: ${message}`);
    expect(lambda.calls()).toHaveLength(0);
    expect(cloudWatch.calls()).toHaveLength(0);
  });

  it('blocks the release with traffic untouched when a gating alarm does not exist, exit 1', async () => {
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

    const code = await runCli(
      deploy('--artifact', 's3://securecart-artifacts/order-processing/1.5.0.zip'),
      output,
    );

    expect(lines.out[0]).toBe('backend aws: AWS eu-west-1, lambda-alias, traces from X-Ray');
    expect({ code, out: lines.out.at(-2) }).toEqual({
      code: 1,
      out:
        'blocked: preflight blocked the release: securecart-production-order-processing-errors, ' +
        'securecart-production-order-processing-p99-latency: no such alarms (a typo, or another account or Region?)',
    });
    const writes = lambda.calls().filter((call) => !/^Get|^List/.test(call.args[0].constructor.name));
    expect(writes).toEqual([]);
    expectValidRequests(lambda, '@aws-sdk/client-lambda');
    expectValidRequests(cloudWatch, '@aws-sdk/client-cloudwatch');
  });
});
