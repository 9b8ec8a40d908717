import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../src/services/service';
import { cloudStart, startTestCloud } from './test-cloud';

const xray: ServiceDefinition = {
  signingName: 'xray',
  sdkPackage: '@aws-sdk/client-xray',
  protocol: 'restJson1',
  operations: {
    GetTraceSummaries(input) {
      return {
        TraceSummaries: [
          {
            Id: '1-67c2f2a0-0123456789abcdef01234567',
            StartTime: input.StartTime,
            Duration: 0.125,
            ResponseTime: 0.12,
            HasError: true,
            Annotations: { release: [{ AnnotationValue: { StringValue: '1.1.0' } }] },
          },
        ],
        ApproximateTime: input.EndTime,
        TracesProcessedCount: 1,
      };
    },
  },
};

const sts: ServiceDefinition = {
  signingName: 'sts',
  sdkPackage: '@aws-sdk/client-sts',
  protocol: 'awsQuery',
  operations: {
    GetCallerIdentity: (_input, context) => ({
      UserId: 'AIDALOCALCLOUD',
      Account: '111111111111',
      Arn: `arn:aws:iam::111111111111:user/release-${context.region}`,
    }),
  },
};

describe('X-Ray (restJson1) and STS (awsQuery) through the official clients', () => {
  it('GetTraceSummaries: timestamps both ways, unions inside maps of lists, booleans and doubles', async () => {
    const cloud = await startTestCloud([xray]);
    const client = new XRayClient(cloud.client);
    const startTime = new Date(cloudStart - 300_000);
    const endTime = new Date(cloudStart + 1_500);
    const result = await client.send(
      new GetTraceSummariesCommand({
        StartTime: startTime,
        EndTime: endTime,
        FilterExpression: 'annotation.release = "1.1.0"',
      }),
    );
    expect(result.ApproximateTime).toEqual(endTime);
    expect(result.TraceSummaries).toEqual([
      {
        Id: '1-67c2f2a0-0123456789abcdef01234567',
        StartTime: startTime,
        Duration: 0.125,
        ResponseTime: 0.12,
        HasError: true,
        Annotations: { release: [{ AnnotationValue: { StringValue: '1.1.0' } }] },
      },
    ]);
    const missing = await client
      .send(new GetTraceSummariesCommand({ StartTime: startTime } as never))
      .catch((e) => e);
    expect(missing.name).toBe('InvalidRequestException');
    expect(missing.message).toBe(
      '1 validation error detected: GetTraceSummaries: required member "EndTime" is missing',
    );
  });

  it('GetCallerIdentity answers the awsQuery XML the STS client reads', async () => {
    const cloud = await startTestCloud([sts]);
    const client = new STSClient(cloud.client);
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      UserId: 'AIDALOCALCLOUD',
      Account: '111111111111',
      Arn: 'arn:aws:iam::111111111111:user/release-eu-west-1',
    });
    expect(identity.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an STS operation it does not serve in the XML error encoding', async () => {
    const cloud = await startTestCloud([sts]);
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient(cloud.client);
    const error = await client
      .send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::1:role/x', RoleSessionName: 's' }))
      .catch((e) => e);
    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toBe('the local cloud does not serve AssumeRole of @aws-sdk/client-sts');
  });
});
