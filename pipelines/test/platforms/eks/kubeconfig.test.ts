import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException,
  DescribeClusterCommand,
  EKSClient,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { EksPlatform } from '../../../src/platforms/eks/eks-platform';
import { openClusterAccess } from '../../../src/platforms/eks/kubeconfig';
import { PERMISSIONS } from '../../../src/platforms/eks/permissions';
import { UnknownWorkloadError } from '../../../src/platforms/port';
import { VirtualClock } from '../../../src/time/clock';
import { expectValidRequests, modelled, sentRequests } from '../../aws/validated-mock';
import { writeKubeconfig } from './eks-world';
import { FakeKubernetesApi } from './fake-api';
import { FakeCluster } from './fake-cluster';
import { startFakeKubernetes } from './fake-server';
import { deployment, EKS_CAPABILITIES, EKS_TARGET, ingress, STABLE_IMAGE } from './recommendations-fixture';
import { selfSignedCertificate } from './tls-certificate';

const CLUSTER = EKS_TARGET.clusterName;
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+with=characters',
};
const STABLE = { stable: { version: '1.0.0', ref: STABLE_IMAGE }, canaryWeight: 0 };
const EKS = '@aws-sdk/client-eks';

const eks = new EKSClient({ region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
const sts = new STSClient({ region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
const eksStub = mockClient(eks);

afterEach(() => {
  expectValidRequests(eksStub, EKS);
  eksStub.reset();
});

/** What EKS checks before calling STS with a token: its prefix, and a presigned URL that signs the cluster name. */
function isEksToken(authorization: string | undefined): boolean {
  if (!authorization?.startsWith('Bearer k8s-aws-v1.')) return false;
  const url = new URL(Buffer.from(authorization.slice('Bearer k8s-aws-v1.'.length), 'base64url').toString());
  return (
    url.host === 'sts.eu-west-1.amazonaws.com' &&
    url.searchParams.get('Action') === 'GetCallerIdentity' &&
    url.searchParams.get('X-Amz-SignedHeaders') === 'host;x-k8s-aws-id'
  );
}

/** The recommendations workload behind HTTPS on 127.0.0.1, as an EKS API server endpoint with its CA. */
async function eksCluster() {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-eks-tls-'));
  const tls = await selfSignedCertificate();
  const clock = new VirtualClock();
  const cluster = new FakeCluster({ now: () => clock.now() });
  cluster.add('deployments', deployment('stable', 2));
  cluster.add('deployments', deployment('canary', 0));
  cluster.add('ingresses', ingress());
  const api = new FakeKubernetesApi(cluster, isEksToken);
  const server = await startFakeKubernetes(api, tls);
  onTestFinished(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const described = (ca = tls.cert) =>
    modelled(EKS, 'DescribeCluster', {
      cluster: {
        name: CLUSTER,
        endpoint: server.url,
        certificateAuthority: { data: Buffer.from(ca).toString('base64') },
        status: 'ACTIVE' as const,
      },
    });
  const platform = () =>
    new EksPlatform({
      workload: 'recommendations',
      target: EKS_TARGET,
      capabilities: EKS_CAPABILITIES,
      cluster: openClusterAccess({
        workload: 'recommendations',
        clusterName: CLUSTER,
        clients: { eks, sts },
        clock,
        env: {},
      }),
      clock,
    });
  return { api, clock, described, directory, server, platform };
}

describe('reaching an EKS cluster without KUBECONFIG', () => {
  it('finds the endpoint and CA with DescribeCluster and signs in with an EKS token over verified TLS', async () => {
    const world = await eksCluster();
    eksStub.on(DescribeClusterCommand).resolves(world.described());
    expect(await world.platform().current()).toEqual(STABLE);
    expect(sentRequests(eksStub)).toEqual([{ operation: 'DescribeCluster', input: { name: CLUSTER } }]);
    expect(world.api.requests.map((request) => request.status)).toEqual([200, 200, 200]);
  });

  it('renews the token after ten minutes, describing the cluster only once', async () => {
    const world = await eksCluster();
    eksStub.on(DescribeClusterCommand).resolves(world.described());
    const platform = world.platform();
    await platform.current();
    world.clock.advance(9 * 60_000);
    await platform.current();
    world.clock.advance(60_000);
    await platform.current();
    const tokens = new Set(world.api.requests.map((request) => request.authorization));
    expect(tokens.size).toBe(2);
    expect(sentRequests(eksStub)).toHaveLength(1);
  });

  it('refuses a server whose certificate the cluster CA did not sign', async () => {
    const world = await eksCluster();
    const other = await selfSignedCertificate();
    eksStub.on(DescribeClusterCommand).resolves(world.described(other.cert));
    const error = await world
      .platform()
      .current()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('could not read Deployment recommendations/recommendations-stable:'),
    });
    expect(world.api.requests).toEqual([]);
  });

  it('a cluster that does not exist is UnknownWorkloadError', async () => {
    const world = await eksCluster();
    eksStub
      .on(DescribeClusterCommand)
      .rejects(
        new ResourceNotFoundException({ message: `No cluster found for name: ${CLUSTER}.`, $metadata: {} }),
      );
    const error = await world
      .platform()
      .current()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownWorkloadError);
    expect(error).toHaveProperty(
      'message',
      `workload "recommendations" not found on EKS cluster ${CLUSTER} (DescribeCluster: ResourceNotFoundException)`,
    );
  });

  it('access denied on DescribeCluster says so; a throttled one is tried again on the next call', async () => {
    const world = await eksCluster();
    eksStub
      .on(DescribeClusterCommand)
      .rejectsOnce(
        new AccessDeniedException({
          message: 'User is not authorized to perform: eks:DescribeCluster',
          $metadata: {},
        }),
      )
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves(world.described());
    const denied = await world
      .platform()
      .current()
      .catch((caught: unknown) => caught);
    expect(denied).toBeInstanceOf(AwsCallError);
    expect(denied).toMatchObject({
      kind: 'access-denied',
      message: `could not describe EKS cluster ${CLUSTER}: AccessDeniedException: User is not authorized to perform: eks:DescribeCluster`,
    });

    const platform = world.platform();
    await expect(platform.current()).rejects.toMatchObject({ kind: 'throttled' });
    expect(await platform.current()).toEqual(STABLE);
    expect(sentRequests(eksStub)).toHaveLength(3);
  });

  it('sends only the AWS operations PERMISSIONS lists', async () => {
    const world = await eksCluster();
    eksStub.on(DescribeClusterCommand).resolves(world.described());
    await world.platform().current();
    const listed = new Set(PERMISSIONS.map((permission) => permission.action));
    for (const { operation } of sentRequests(eksStub)) expect(listed).toContain(`eks:${operation}`);
  });
});

describe('reaching a cluster through KUBECONFIG', () => {
  it('uses the current context of the file KUBECONFIG names and calls no AWS API', async () => {
    const world = await eksCluster();
    const plain = await startFakeKubernetes(world.api);
    onTestFinished(() => plain.close());
    const file = writeKubeconfig(world.directory, plain.url, 'unused');
    const access = openClusterAccess({
      workload: 'recommendations',
      clusterName: CLUSTER,
      clients: { eks, sts },
      clock: world.clock,
      env: { KUBECONFIG: file },
    });
    expect(access.where).toBe('the cluster of KUBECONFIG context fake');
    await (await access.apis()).apps
      .readNamespacedDeployment({ name: 'recommendations-stable', namespace: 'recommendations' })
      .catch(() => undefined);
    expect(world.api.requests.map((request) => request.authorization)).toEqual(['Bearer unused']);
    expect(sentRequests(eksStub)).toEqual([]);
  });

  it('a KUBECONFIG that cannot be read is an error naming the file', () => {
    expect(() =>
      openClusterAccess({
        workload: 'recommendations',
        clusterName: CLUSTER,
        clients: { eks, sts },
        clock: new VirtualClock(),
        env: { KUBECONFIG: '/nonexistent/kubeconfig' },
      }),
    ).toThrow('KUBECONFIG names /nonexistent/kubeconfig, which is not a readable kubeconfig');
  });
});
