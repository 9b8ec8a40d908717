import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { EksTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { expectCloudDate, type RoundTripWorld, rejection } from './round-trip-cloud';

/** recommendations' cluster: what the adapter reads to reach its API server, and an unknown cluster. */
export async function eksRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<EksTarget>('recommendations');
  const eks = new EKSClient(world.config);
  const { cluster } = await eks.send(new DescribeClusterCommand({ name: target.clusterName }));
  expect(cluster).toMatchObject({
    name: target.clusterName,
    arn: `arn:aws:eks:eu-west-1:${target.account}:cluster/${target.clusterName}`,
    status: 'ACTIVE',
  });
  expectCloudDate(world, cluster?.createdAt);
  expect(cluster?.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const ca = Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString('utf8');
  expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);

  // DescribeCluster's only member is its URI label, which the client itself refuses to leave out.
  const refused = await rejection(
    eks.send(new DescribeClusterCommand({ name: `${target.clusterName}-gone` })),
  );
  expect(refused).toEqual({
    name: 'ResourceNotFoundException',
    status: 404,
    message: `No cluster found for name: ${target.clusterName}-gone.`,
  });
}
