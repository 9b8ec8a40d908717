import {
  AppRunnerClient,
  ResourceNotFoundException as AppRunnerNotFound,
  AppRunnerServiceException,
  ListOperationsCommand,
} from '@aws-sdk/client-apprunner';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  InvalidNextToken,
  MissingRequiredParameterException,
} from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  DeploymentDoesNotExistException,
  DeploymentIdRequiredException,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, ECSClient, InvalidParameterException } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { AwsServiceError, type ServiceDefinition } from '../../src/services/service';
import { cloudStart, startTestCloud } from './test-cloud';

const created = new Date(cloudStart - 90_500);

const codedeploy: ServiceDefinition = {
  signingName: 'codedeploy',
  sdkPackage: '@aws-sdk/client-codedeploy',
  protocol: 'awsJson1_1',
  targetPrefix: 'CodeDeploy_20141006',
  operations: {
    GetDeployment(input) {
      if (input.deploymentId !== 'd-ABC123') {
        throw new AwsServiceError(
          'DeploymentDoesNotExistException',
          `The deployment ${input.deploymentId} could not be found.`,
        );
      }
      return {
        deploymentInfo: {
          deploymentId: 'd-ABC123',
          status: 'InProgress',
          createTime: created,
          deploymentOverview: { Pending: 0, InProgress: 1, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 },
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        },
      };
    },
  },
};

const ecs: ServiceDefinition = {
  signingName: 'ecs',
  sdkPackage: '@aws-sdk/client-ecs',
  protocol: 'awsJson1_1',
  operations: {
    DescribeServices(input) {
      return {
        services: input.services.map((serviceName: string) => ({
          serviceName,
          desiredCount: 3,
          deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', runningCount: 3, createdAt: created }],
        })),
        failures: [],
      };
    },
  },
};

const apprunner: ServiceDefinition = {
  signingName: 'apprunner',
  sdkPackage: '@aws-sdk/client-apprunner',
  protocol: 'awsJson1_0',
  operations: {
    ListOperations(input) {
      if (!input.ServiceArn.endsWith('/storefront/abc')) {
        throw new AwsServiceError('ResourceNotFoundException', `Service ${input.ServiceArn} not found`);
      }
      return {
        OperationSummaryList: [
          {
            Id: 'op-1',
            Type: 'START_DEPLOYMENT',
            Status: 'IN_PROGRESS',
            StartedAt: created,
            UpdatedAt: new Date(cloudStart),
          },
        ],
      };
    },
  },
};

const cloudwatch: ServiceDefinition = {
  signingName: 'monitoring',
  sdkPackage: '@aws-sdk/client-cloudwatch',
  protocol: 'awsJson1_0',
  operations: {
    DescribeAlarms(input) {
      if (input.NextToken === 'stale') throw new AwsServiceError('InvalidNextToken', 'The token is invalid.');
      return {
        MetricAlarms: [
          {
            AlarmName: input.AlarmNames?.[0],
            StateValue: 'ALARM',
            StateUpdatedTimestamp: created,
            Threshold: 1.5,
            Dimensions: [{ Name: 'FunctionName', Value: 'checkout' }],
          },
        ],
      };
    },
  },
};

describe('awsJson1_1 and awsJson1_0 through the official clients', () => {
  it('CodeDeploy GetDeployment: epoch-second timestamps with milliseconds and nested maps', async () => {
    const cloud = await startTestCloud([codedeploy]);
    const client = new CodeDeployClient(cloud.client);
    const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId: 'd-ABC123' }));
    expect(deploymentInfo?.createTime).toEqual(created);
    expect(deploymentInfo?.deploymentOverview).toEqual({
      Pending: 0,
      InProgress: 1,
      Succeeded: 0,
      Failed: 0,
      Skipped: 0,
      Ready: 0,
    });
    expect(deploymentInfo?.status).toBe('InProgress');
  });

  it('CodeDeploy answers a missing required member with its per-field error', async () => {
    const cloud = await startTestCloud([codedeploy]);
    const client = new CodeDeployClient(cloud.client);
    const error = await client.send(new GetDeploymentCommand({} as never)).catch((e) => e);
    expect(error).toBeInstanceOf(DeploymentIdRequiredException);
    expect(error.message).toBe(
      '1 validation error detected: GetDeployment: required member "deploymentId" is missing',
    );
    const unknown = await client.send(new GetDeploymentCommand({ deploymentId: 'd-NOPE' })).catch((e) => e);
    expect(unknown).toBeInstanceOf(DeploymentDoesNotExistException);
    expect(unknown.message).toBe('The deployment d-NOPE could not be found.');
  });

  it('ECS DescribeServices: lists of structures with timestamps; a bad member is an InvalidParameterException', async () => {
    const cloud = await startTestCloud([ecs]);
    const client = new ECSClient(cloud.client);
    const result = await client.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['checkout', 'search'] }),
    );
    expect(result.services?.map((service) => service.serviceName)).toEqual(['checkout', 'search']);
    expect(result.services?.[1]?.deployments?.[0]?.createdAt).toEqual(created);
    const error = await client
      .send(new DescribeServicesCommand({ cluster: 'prod', services: 'checkout' as unknown as string[] }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      '1 validation error detected: DescribeServices.services: expected a list, got string "checkout"',
    );
  });

  it('App Runner ListOperations (awsJson1_0): timestamps, enums, typed not-found error', async () => {
    const cloud = await startTestCloud([apprunner]);
    const client = new AppRunnerClient(cloud.client);
    const arn = 'arn:aws:apprunner:eu-west-1:111111111111:service/storefront/abc';
    const result = await client.send(new ListOperationsCommand({ ServiceArn: arn }));
    expect(result.OperationSummaryList).toEqual([
      {
        Id: 'op-1',
        Type: 'START_DEPLOYMENT',
        Status: 'IN_PROGRESS',
        StartedAt: created,
        UpdatedAt: new Date(cloudStart),
      },
    ]);
    const error = await client.send(new ListOperationsCommand({ ServiceArn: `${arn}x` })).catch((e) => e);
    expect(error).toBeInstanceOf(AppRunnerNotFound);
    expect(error).toBeInstanceOf(AppRunnerServiceException);
    const invalid = await client
      .send(new ListOperationsCommand({ ServiceArn: arn, MaxResults: 'ten' as never }))
      .catch((e) => e);
    expect(invalid.name).toBe('InvalidRequestException');
    expect(invalid.message).toBe(
      '1 validation error detected: ListOperations.MaxResults: expected a number, got string "ten"',
    );
  });

  it('CloudWatch DescribeAlarms (awsJson1_0, query-compatible): values and query-coded errors', async () => {
    const cloud = await startTestCloud([cloudwatch]);
    const client = new CloudWatchClient(cloud.client);
    const result = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['checkout-errors'] }));
    expect(result.MetricAlarms?.[0]).toEqual({
      AlarmName: 'checkout-errors',
      StateValue: 'ALARM',
      StateUpdatedTimestamp: created,
      Threshold: 1.5,
      Dimensions: [{ Name: 'FunctionName', Value: 'checkout' }],
    });
    const stale = await client.send(new DescribeAlarmsCommand({ NextToken: 'stale' })).catch((e) => e);
    expect(stale).toBeInstanceOf(InvalidNextToken);
    expect(stale.message).toBe('The token is invalid.');
    const badState = await client
      .send(new DescribeAlarmsCommand({ StateValue: 'RED' as never }))
      .catch((e) => e);
    expect(badState.name).toBe('InvalidParameterValueException');
    expect(badState.message).toBe(
      '1 validation error detected: DescribeAlarms.StateValue: "RED" is not one of ALARM, INSUFFICIENT_DATA, OK',
    );
  });
});

describe('a required member missing from a CloudWatch request', () => {
  it('is a MissingRequiredParameterException naming it', async () => {
    const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const cloud = await startTestCloud([
      { ...cloudwatch, operations: { ...cloudwatch.operations, GetMetricData: () => ({}) } },
    ]);
    const client = new CloudWatchClient(cloud.client);
    const error = await client
      .send(
        new GetMetricDataCommand({ StartTime: new Date(cloudStart), EndTime: new Date(cloudStart) } as never),
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(MissingRequiredParameterException);
    expect(error.message).toBe(
      '1 validation error detected: GetMetricData: required member "MetricDataQueries" is missing',
    );
  });
});
