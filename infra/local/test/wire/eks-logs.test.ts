import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { AwsServiceError, type ServiceDefinition } from '../../src/services/service';
import { cloudStart, startTestCloud } from './test-cloud';

const eks: ServiceDefinition = {
  signingName: 'eks',
  sdkPackage: '@aws-sdk/client-eks',
  protocol: 'restJson1',
  operations: {
    ListClusters: (input) => ({
      clusters: ['securecart-staging'],
      ...(input.maxResults ? { nextToken: `n${input.maxResults}` } : {}),
    }),
    DescribeCluster(input) {
      if (input.name !== 'securecart-staging') {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `No cluster found for name: ${input.name}.`,
          404,
          { clusterName: input.name },
        );
      }
      return {
        cluster: {
          name: input.name,
          endpoint: 'https://127.0.0.1:6443',
          createdAt: new Date(cloudStart),
          certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
          tags: { env: 'staging' },
        },
      };
    },
  },
};

const logs: ServiceDefinition = {
  signingName: 'logs',
  sdkPackage: '@aws-sdk/client-cloudwatch-logs',
  protocol: 'awsJson1_1',
  operations: {
    StartQuery: (input) => ({
      queryId: `q-${input.startTime}-${input.endTime}-${input.logGroupNames.length}`,
    }),
    GetQueryResults: () => ({
      status: 'Complete',
      results: [
        [
          { field: 'release', value: '1.1.0' },
          { field: 'count', value: '12' },
        ],
      ],
      statistics: { recordsMatched: 12, recordsScanned: 40, bytesScanned: 4096 },
    }),
  },
};

describe('EKS (restJson1) and CloudWatch Logs (awsJson1_1) through the official clients', () => {
  it('routes GET /clusters and GET /clusters/{name} apart, with query and path members', async () => {
    const cloud = await startTestCloud([eks]);
    const client = new EKSClient(cloud.client);
    expect((await client.send(new ListClustersCommand({ maxResults: 5 }))).nextToken).toBe('n5');
    const { cluster } = await client.send(new DescribeClusterCommand({ name: 'securecart-staging' }));
    expect(cluster).toEqual({
      name: 'securecart-staging',
      endpoint: 'https://127.0.0.1:6443',
      createdAt: new Date(cloudStart),
      certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
      tags: { env: 'staging' },
    });
    const error = await client.send(new DescribeClusterCommand({ name: 'gone' })).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.clusterName).toBe('gone');
    expect(error.message).toBe('No cluster found for name: gone.');
  });

  it('StartQuery and GetQueryResults: epoch-second integers and nested lists', async () => {
    const cloud = await startTestCloud([logs]);
    const client = new CloudWatchLogsClient(cloud.client);
    const started = await client.send(
      new StartQueryCommand({
        logGroupNames: ['/aws/lambda/checkout'],
        startTime: 1_772_366_100,
        endTime: 1_772_366_400,
        queryString: 'stats count() by release',
      }),
    );
    expect(started.queryId).toBe('q-1772366100-1772366400-1');
    const results = await client.send(new GetQueryResultsCommand({ queryId: 'q-1' }));
    expect(results.results).toEqual([
      [
        { field: 'release', value: '1.1.0' },
        { field: 'count', value: '12' },
      ],
    ]);
    expect(results.statistics).toEqual({ recordsMatched: 12, recordsScanned: 40, bytesScanned: 4096 });
  });
});
