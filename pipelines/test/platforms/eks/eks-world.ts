import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { EksPlatform } from '../../../src/platforms/eks/eks-platform';
import { type ClusterAccess, kubeconfigAccess } from '../../../src/platforms/eks/kubeconfig';
import type { RolloutLimits } from '../../../src/platforms/eks/rollout';
import { VirtualClock } from '../../../src/time/clock';
import { FakeKubernetesApi } from './fake-api';
import { FakeCluster } from './fake-cluster';
import { type FakeKubernetesServer, startFakeKubernetes } from './fake-server';
import { deployment, EKS_CAPABILITIES, EKS_TARGET, ingress } from './recommendations-fixture';

export const TOKEN = 'test-token';

export interface EksWorldOptions {
  /** `recommendations` (default): the workload as its manifests deploy it; `nothing`: an empty cluster. */
  objects?: 'recommendations' | 'nothing';
  readyAfterMs?: number;
  rollout?: Partial<RolloutLimits>;
  clock?: VirtualClock;
}

/** A fake cluster served on 127.0.0.1 for one test, and EKS adapters that reach it through KUBECONFIG. */
export interface EksWorld {
  clock: VirtualClock;
  cluster: FakeCluster;
  api: FakeKubernetesApi;
  server: Promise<FakeKubernetesServer>;
  /** A new adapter over the same cluster, as a new process after a crash would build it. */
  platform(): EksPlatform;
}

/** Must be called inside a test: the server stops and its kubeconfig is removed when the test ends. */
export function eksWorld(options: EksWorldOptions = {}): EksWorld {
  const clock = options.clock ?? new VirtualClock();
  const cluster = new FakeCluster({
    now: () => clock.now(),
    ...(options.readyAfterMs === undefined ? {} : { readyAfterMs: options.readyAfterMs }),
  });
  if ((options.objects ?? 'recommendations') === 'recommendations') {
    cluster.add('deployments', deployment('stable', 2));
    cluster.add('deployments', deployment('canary', 0));
    cluster.add('ingresses', ingress());
  }
  const api = new FakeKubernetesApi(cluster, (authorization) => authorization === `Bearer ${TOKEN}`);
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-eks-'));
  const server = startFakeKubernetes(api);
  onTestFinished(async () => {
    await (await server).close();
    rmSync(directory, { recursive: true, force: true });
  });
  const access = server.then((started) => kubeconfigAccess(writeKubeconfig(directory, started.url)));
  const platform = () =>
    new EksPlatform({
      workload: 'recommendations',
      target: EKS_TARGET,
      capabilities: EKS_CAPABILITIES,
      cluster: lazily(access),
      clock,
      ...(options.rollout ? { rollout: options.rollout } : {}),
    });
  return { clock, cluster, api, server, platform };
}

/** The adapter is built at once (the contract builds subjects synchronously); the server is up by its first call. */
function lazily(access: Promise<ClusterAccess>): ClusterAccess {
  return { where: 'the fake cluster', apis: async () => (await access).apis() };
}

export function writeKubeconfig(directory: string, url: string, token = TOKEN): string {
  const file = join(directory, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: fake',
      '    cluster:',
      `      server: ${url}`,
      // The client refuses plain HTTP unless told to skip TLS verification; the fake serves HTTP.
      '      insecure-skip-tls-verify: true',
      'users:',
      '  - name: tollgate',
      '    user:',
      `      token: ${token}`,
      'contexts:',
      '  - name: fake',
      '    context: { cluster: fake, user: tollgate, namespace: recommendations }',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return file;
}

/** The error `work` fails with; the test fails if it succeeds or throws something that is not an Error. */
export async function thrown(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}
