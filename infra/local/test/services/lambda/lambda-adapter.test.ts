import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lambdaSdk from '@aws-sdk/client-lambda';
import { LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import { LambdaAliasPlatform } from '@tollgate/pipelines/platforms/lambda/lambda-alias-platform';
import { releaseMethods } from '@tollgate/pipelines/targets/capabilities';
import { type LambdaTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifestJson from '../../../../aws/release-manifest.json';
import { emptyFaultPlan } from '../../../src/faults/fault-plan';
import { createLambdaService, type LambdaService } from '../../../src/services/lambda/lambda-service';
import { provisionLambda } from '../../../src/services/lambda/provision-lambda';
import { AwsServiceError, type OperationContext } from '../../../src/services/service';
import { SDK, zipOf } from './lambda-world';
import { RecordingSink } from './recording-sink';

const manifest = parseReleaseManifest(manifestJson);
const target = manifest.workloads.payments?.environments.production as LambdaTarget;
const OPERATIONS = [
  'GetAlias',
  'UpdateAlias',
  'GetFunction',
  'GetFunctionConfiguration',
  'ListVersionsByFunction',
  'UpdateFunctionConfiguration',
  'UpdateFunctionCode',
  'PublishVersion',
] as const;

/** What the wire layer does with a handler's AwsServiceError: the SDK's exception of that name. */
function sdkError(error: AwsServiceError): Error {
  const Modelled = (lambdaSdk as unknown as Record<string, unknown>)[error.code];
  const options = { $metadata: { httpStatusCode: error.status }, message: error.message, ...error.members };
  if (typeof Modelled === 'function') return new (Modelled as new (o: typeof options) => Error)(options);
  return new LambdaServiceException({ name: error.code, $fault: 'client', ...options });
}

let service: LambdaService;
let client: LambdaClient;
let stub: ReturnType<typeof mockClient>;
let folder: string;
let context: OperationContext;
/** Runs after the service answered a request: someone else's change right after it. */
let afterAnswer: ((operation: string) => void) | undefined;

beforeAll(async () => {
  // 1 real ms is 1 cloud second: a 2-second code update is over after 2 ms.
  const clock = new ScaledClock({ cloudOrigin: Date.now(), realOrigin: Date.now(), scale: 1000 });
  service = createLambdaService({
    clock,
    faults: emptyFaultPlan(),
    sink: new RecordingSink(),
    daemonAddress: '127.0.0.1:2000',
  });
  await provisionLambda(service, manifest, {
    code: async (workload) => zipOf(`exports.handler = () => '${workload}';`),
  });
  client = new LambdaClient({ region: target.region, maxAttempts: 1 });
  stub = mockClient(client);
  context = { region: target.region, clock, requestId: 'adapter-test' };
  const model = apiModel(SDK);
  for (const operation of OPERATIONS) {
    const command = (lambdaSdk as unknown as Record<string, new (input: never) => never>)[
      `${operation}Command`
    ];
    stub.on(command as never).callsFake(async (input: unknown) => {
      expect(model.inputProblems(operation, input), `${operation} request`).toEqual([]);
      try {
        const output = await service.definition.operations[operation]?.(input, context);
        expect(model.outputProblems(operation, output), `${operation} response`).toEqual([]);
        afterAnswer?.(operation);
        return output;
      } catch (error) {
        throw error instanceof AwsServiceError ? sdkError(error) : error;
      }
    });
  }
  folder = await mkdtemp(join(tmpdir(), 'lc-lambda-adapter-'));
});

afterAll(async () => {
  stub.restore();
  await service.close();
  await rm(folder, { recursive: true, force: true });
});

function platform(): LambdaAliasPlatform {
  const capabilities = releaseMethods(target).find((candidate) => candidate.method === 'lambda-alias');
  if (!capabilities) throw new Error('the payments target has no lambda-alias method');
  return new LambdaAliasPlatform({
    workload: 'payments',
    target,
    capabilities,
    clients: { lambda: client },
    updateWait: { maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.02 },
  });
}

const sentOperations = () =>
  stub
    .calls()
    .map((call) =>
      (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''),
    );

describe('the pipelines Lambda adapter against the local Lambda service', () => {
  it('provisions both environments of every Lambda workload with version 1 behind its alias', () => {
    const names = service.functions().map((fn) => `${fn.identity.account}/${fn.identity.name}`);
    expect(names).toContain('222222222222/securecart-production-payments');
    expect(names).toContain('111111111111/securecart-staging-payments');
    expect(names).toHaveLength(8);
  });

  it('stages 2.0.0, shifts 10% to it, and promotes it', async () => {
    const zipPath = join(folder, 'payments-2.0.0.zip');
    const zip = zipOf("exports.handler = async () => 'payments 2.0.0';");
    await writeFile(zipPath, zip);
    const lambda = platform();
    expect(await lambda.current()).toEqual({ stable: { version: '1.0.0', ref: '1' }, canaryWeight: 0 });

    stub.resetHistory();
    const revision = await lambda.prepare({ version: '2.0.0', source: { kind: 'zip', path: zipPath } });
    expect(revision).toEqual({ version: '2.0.0', ref: '2' });
    const staging = sentOperations().filter((operation) => operation !== 'GetFunction');
    expect(staging).toEqual([
      'GetAlias',
      'ListVersionsByFunction',
      'GetFunctionConfiguration',
      'UpdateFunctionConfiguration',
      'UpdateFunctionCode',
      'PublishVersion',
    ]);
    expect(sentOperations().filter((operation) => operation === 'GetFunction').length).toBeGreaterThanOrEqual(
      2,
    );

    await lambda.shift(revision, 10);
    expect(await lambda.current()).toEqual({
      stable: { version: '1.0.0', ref: '1' },
      canary: { version: '2.0.0', ref: '2' },
      canaryWeight: 10,
    });
    const live = await client.send(
      new lambdaSdk.GetAliasCommand({ FunctionName: target.functionName, Name: 'live' }),
    );
    expect([live.FunctionVersion, live.RoutingConfig?.AdditionalVersionWeights]).toEqual(['1', { '2': 0.1 }]);

    await lambda.promote(revision);
    expect(await lambda.current()).toEqual({ stable: { version: '2.0.0', ref: '2' }, canaryWeight: 0 });
    const version = await client.send(
      new lambdaSdk.GetFunctionConfigurationCommand({ FunctionName: target.functionName, Qualifier: 'live' }),
    );
    expect(version.Environment?.Variables?.RELEASE_VERSION).toBe('2.0.0');

    // Staging the same release again finds version 2 instead of publishing another.
    expect(await lambda.prepare({ version: '2.0.0', source: { kind: 'zip', path: zipPath } })).toEqual(
      revision,
    );
  });

  it('refuses a shift when someone moved the alias since the adapter read it', async () => {
    const lambda = platform();
    const fn = service.functions().find((candidate) => candidate.identity.name === target.functionName);
    if (!fn) throw new Error('payments is not provisioned');
    // Someone else writes the alias right after the adapter's read (same routing, a new RevisionId).
    afterAnswer = (operation) => {
      if (operation !== 'GetAlias') return;
      afterAnswer = undefined;
      const alias = fn.alias('live');
      if (alias) fn.putAlias({ ...alias });
    };
    await expect(lambda.shift({ version: '1.0.0', ref: '1' }, 10)).rejects.toThrow(
      'PreconditionFailedException: The Revision Id provided does not match the latest Revision Id',
    );
    expect(fn.alias('live')?.weights).toEqual({});
  });
});
