import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { AppsV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import { EksPlatform } from '@tollgate/pipelines/platforms/eks/eks-platform';
import { openClusterAccess } from '@tollgate/pipelines/platforms/eks/kubeconfig';
import type { RolloutLimits } from '@tollgate/pipelines/platforms/eks/rollout';
import { type Capabilities, releaseMethods } from '@tollgate/pipelines/targets/capabilities';
import { type EksTarget, findTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import manifestJson from '../../../../aws/release-manifest.json';
import { emptyFaultPlan, type FaultPlan } from '../../../src/faults/fault-plan';
import { selfSignedCertificate, type TlsCertificate } from '../../../src/kubernetes/tls-certificate';
import { startWeightedRouter, type WeightedRouter } from '../../../src/runtime/weighted-router';
import { createEksService, type EksService } from '../../../src/services/eks/eks-service';
import { provisionEks } from '../../../src/services/eks/provision-eks';
import { FakeRuntime } from '../../kubernetes/fake-runtime';

export const MANIFEST = parseReleaseManifest(manifestJson);
export const TARGET = findTarget(MANIFEST, 'recommendations', 'production') as EksTarget;
export const CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
const EKS = '@aws-sdk/client-eks';

let certificate: Promise<TlsCertificate> | undefined;
/** One certificate for the whole file, as one per cloud. */
export function sharedCertificate(): Promise<TlsCertificate> {
  certificate ??= selfSignedCertificate();
  return certificate;
}

export interface LocalEks {
  clock: ScaledClock;
  faults: FaultPlan;
  runtime: FakeRuntime;
  service: EksService;
  routers: WeightedRouter[];
  eks: EKSClient;
  sts: STSClient;
  platform(rollout?: Partial<RolloutLimits>): EksPlatform;
  close(): Promise<void>;
}

/** The EKS service provisioned from the release manifest, with the real adapter pointed at it. */
export async function localEks(scale = 200): Promise<LocalEks> {
  const clock = new ScaledClock({
    cloudOrigin: Date.parse('2026-06-01T00:00:00Z'),
    realOrigin: Date.now(),
    scale,
  });
  const faults = emptyFaultPlan();
  const runtime = new FakeRuntime();
  const service = await createEksService({ clock, faults, tls: await sharedCertificate() });
  const routers: WeightedRouter[] = [];
  await provisionEks(service, MANIFEST, {
    runtime,
    routers: async (options) => {
      const router = await startWeightedRouter({ sink: { metric: () => undefined }, ...options });
      routers.push(router);
      return router;
    },
  });
  const eks = new EKSClient({ region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
  const sts = new STSClient({ region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
  const stub = mockClient(eks);
  const model = apiModel(EKS);
  stub.on(DescribeClusterCommand).callsFake(async (input) => {
    expect(model.inputProblems('DescribeCluster', input)).toEqual([]);
    const output = await service.definition.operations.DescribeCluster?.(input, {
      region: 'eu-west-1',
      clock,
      requestId: 'req-1',
    });
    expect(model.outputProblems('DescribeCluster', output)).toEqual([]);
    return output;
  });
  const capabilities = releaseMethods(TARGET)[0] as Capabilities;
  const platform = (rollout?: Partial<RolloutLimits>) =>
    new EksPlatform({
      workload: 'recommendations',
      target: TARGET,
      capabilities,
      cluster: openClusterAccess({
        workload: 'recommendations',
        clusterName: TARGET.clusterName,
        clients: { eks, sts },
        clock,
        env: {},
      }),
      clock,
      ...(rollout ? { rollout } : {}),
    });
  return {
    clock,
    faults,
    runtime,
    service,
    routers,
    eks,
    sts,
    platform,
    close: async () => {
      stub.restore();
      await service.close();
    },
  };
}

/** Sends `count` requests through the entry point and counts the versions that answered. */
export async function versionsServed(url: string, count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${url}/recommendations?customerId=c-1`);
    const { version } = (await response.json()) as { version: string };
    seen[version] = (seen[version] ?? 0) + 1;
  }
  return seen;
}

/** Clients of the production cluster's API as the adapter builds them (its CA, the given bearer token). */
export function kubernetesApis(world: LocalEks, token: string) {
  const cluster = world.service.cluster(TARGET.clusterName);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: cluster?.url ?? '', caData: cluster?.caData, skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return { apps: config.makeApiClient(AppsV1Api), networking: config.makeApiClient(NetworkingV1Api) };
}
