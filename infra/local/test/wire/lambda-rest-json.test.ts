import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../../src/services/service';
import { cloudStart, startTestCloud } from './test-cloud';

interface Alias {
  Name: string;
  FunctionVersion: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
}

/** A small Lambda: aliases of one function, its code, and an echoing Invoke. */
function lambdaService() {
  const aliases = new Map<string, Alias>([['live', { Name: 'live', FunctionVersion: '1' }]]);
  const seen: { operation: string; input: unknown; context: OperationContext }[] = [];
  const codes: Uint8Array[] = [];
  const aliasOf = (functionName: string, name: string): Alias => {
    const alias = functionName === 'checkout' ? aliases.get(name) : undefined;
    if (!alias) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Alias not found: ${functionName}:${name}`,
        404,
        {
          Type: 'User',
        },
      );
    }
    return alias;
  };
  const definition: ServiceDefinition = {
    signingName: 'lambda',
    sdkPackage: '@aws-sdk/client-lambda',
    protocol: 'restJson1',
    operations: {
      GetAlias(input, context) {
        seen.push({ operation: 'GetAlias', input, context });
        return {
          ...aliasOf(input.FunctionName, input.Name),
          AliasArn: `arn:aws:lambda:${context.region}:111111111111:function:checkout:${input.Name}`,
        };
      },
      UpdateAlias(input) {
        seen.push({ operation: 'UpdateAlias', input, context: undefined as never });
        const alias = aliasOf(input.FunctionName, input.Name);
        if (input.FunctionVersion) alias.FunctionVersion = input.FunctionVersion;
        if (input.RoutingConfig) alias.RoutingConfig = input.RoutingConfig;
        return { ...alias };
      },
      GetFunctionConfiguration(input, context) {
        seen.push({ operation: 'GetFunctionConfiguration', input, context });
        return {
          FunctionName: input.FunctionName,
          Version: input.Qualifier ?? '$LATEST',
          MemorySize: 256,
          LastModified: new Date(context.clock.now()).toISOString(),
        };
      },
      UpdateFunctionCode(input) {
        codes.push(input.ZipFile);
        return { FunctionName: input.FunctionName, CodeSize: input.ZipFile.byteLength, Version: '$LATEST' };
      },
      Invoke(input) {
        seen.push({ operation: 'Invoke', input, context: undefined as never });
        const request = JSON.parse(new TextDecoder().decode(input.Payload)) as { fail?: boolean };
        return {
          StatusCode: input.InvocationType === 'Event' ? 202 : 200,
          ExecutedVersion: '3',
          ...(request.fail ? { FunctionError: 'Unhandled' } : {}),
          Payload: new TextEncoder().encode(JSON.stringify({ echoed: request, qualifier: input.Qualifier })),
        };
      },
    },
  };
  return { definition, seen, codes, aliases };
}

describe('restJson1 through the official Lambda client', () => {
  it('binds path labels and the JSON body, and round-trips nested maps of numbers', async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    const updated = await client.send(
      new UpdateAliasCommand({
        FunctionName: 'checkout',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } },
      }),
    );
    expect(updated.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.05 } });
    expect(lambda.seen[0]?.input).toEqual({
      FunctionName: 'checkout',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } },
    });
    const alias = await client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
    expect(alias.AliasArn).toBe('arn:aws:lambda:eu-west-1:111111111111:function:checkout:live');
    expect(alias.RoutingConfig?.AdditionalVersionWeights?.['2']).toBe(0.05);
    expect(alias.$metadata.httpStatusCode).toBe(200);
    expect(alias.$metadata.requestId).toBe(lambda.seen[1]?.context.requestId);
    expect(lambda.seen[1]?.context.region).toBe('eu-west-1');
  });

  it('binds a query member (Qualifier) and decodes an ARN label', async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    cloud.virtual.advance(1000);
    const arn = 'arn:aws:lambda:eu-west-1:111111111111:function:checkout';
    const configuration = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: arn, Qualifier: '7' }),
    );
    expect(lambda.seen[0]?.input).toEqual({ FunctionName: arn, Qualifier: '7' });
    expect(configuration).toMatchObject({ FunctionName: arn, Version: '7', MemorySize: 256 });
    expect(configuration.LastModified).toBe(new Date(cloudStart + 60_000).toISOString());
  });

  it('carries a blob member (ZipFile) as the same bytes', async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    const zip = Uint8Array.from({ length: 300 }, (_, index) => (index * 37) % 256);
    const result = await client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'checkout', ZipFile: zip }),
    );
    expect(lambda.codes[0]).toBeInstanceOf(Uint8Array);
    expect([...(lambda.codes[0] ?? [])]).toEqual([...zip]);
    expect(result.CodeSize).toBe(300);
  });

  it('binds an httpPayload blob, headers and the response code of Invoke', async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    const payload = new TextEncoder().encode(JSON.stringify({ cart: 'c-1', fail: true }));
    const result = await client.send(
      new InvokeCommand({
        FunctionName: 'checkout',
        Qualifier: 'live',
        InvocationType: 'Event',
        Payload: payload,
      }),
    );
    expect(lambda.seen[0]?.input).toMatchObject({
      FunctionName: 'checkout',
      Qualifier: 'live',
      InvocationType: 'Event',
    });
    expect(cloud.logged).toEqual([]);
    expect(result.StatusCode).toBe(202);
    expect(result.ExecutedVersion).toBe('3');
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(result.Payload))).toEqual({
      echoed: { cart: 'c-1', fail: true },
      qualifier: 'live',
    });
  });

  it("surfaces the service's error as the SDK's typed exception with its members", async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    const error = await client
      .send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'gone' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Alias not found: checkout:gone');
    expect(error.Type).toBe('User');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects input the model rejects, naming the member, before the handler runs', async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    const weights = { AdditionalVersionWeights: { '2': 'half' as unknown as number } };
    const error = await client
      .send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: weights }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(LambdaServiceException);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      '1 validation error detected: UpdateAlias.RoutingConfig.AdditionalVersionWeights.2: expected a number, got string "half"',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(lambda.seen).toEqual([]);
  });

  it('answers an operation the definition does not serve with UnknownOperationException', async () => {
    const lambda = lambdaService();
    const cloud = await startTestCloud([lambda.definition]);
    const client = new LambdaClient(cloud.client);
    const { ListAliasesCommand } = await import('@aws-sdk/client-lambda');
    const error = await client.send(new ListAliasesCommand({ FunctionName: 'checkout' })).catch((e) => e);
    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toBe('the local cloud does not serve ListAliases of @aws-sdk/client-lambda');
  });
});
