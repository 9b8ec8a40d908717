import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EksPlatform } from '../../../src/platforms/eks/eks-platform';
import { kubeconfigAccess } from '../../../src/platforms/eks/kubeconfig';
import { KubernetesCallError } from '../../../src/platforms/eks/kubernetes-call';
import { type Revision, UnknownWorkloadError } from '../../../src/platforms/port';
import { eksWorld, thrown, writeKubeconfig } from './eks-world';
import {
  ACTION_KEY,
  deployment,
  EKS_CAPABILITIES,
  EKS_TARGET,
  ingress,
  MANIFEST_ACTION,
  NAMESPACE,
  NEW_IMAGE,
  STABLE_IMAGE,
} from './recommendations-fixture';
import { linesSince } from './requests';

const STABLE: Revision = { version: '1.0.0', ref: STABLE_IMAGE };
const NEW: Revision = { version: '2.0.0', ref: NEW_IMAGE };

describe('EksPlatform: API errors', () => {
  it('retries a throttled read (honouring Retry-After) and succeeds', async () => {
    const world = eksWorld();
    world.api.failNext('GET', 429, 2);
    const started = world.clock.now();
    expect(await world.platform().current()).toEqual({ stable: STABLE, canaryWeight: 0 });
    expect(linesSince(world.api).slice(0, 3)).toEqual([
      'GET deployments/recommendations-stable → 429',
      'GET deployments/recommendations-stable → 429',
      'GET deployments/recommendations-stable',
    ]);
    expect(world.clock.now() - started).toBe(2_000);
  });

  it('a throttled call that stays throttled fails, naming the call and the kind', async () => {
    const world = eksWorld();
    world.api.failNext('GET', 429, 3);
    const error = await thrown(world.platform().current());
    expect(error).toBeInstanceOf(KubernetesCallError);
    expect(error).toMatchObject({ kind: 'throttled', status: 429 });
    expect(error.message).toBe(
      'could not read Deployment recommendations/recommendations-stable: 429 TooManyRequests: Too many requests, please try again later.',
    );
  });

  it('an API server that keeps failing a patch fails the shift as unavailable, traffic unchanged', async () => {
    const world = eksWorld();
    world.api.failNext('PATCH', 500, 3);
    const platform = world.platform();
    const error = await thrown(platform.shift(NEW, 10));
    expect(error).toMatchObject({ kind: 'unavailable', status: 500 });
    expect(error.message).toBe(
      'could not start 2.0.0 on 1 canary replicas (Deployment recommendations-canary): 500 InternalError: Internal error occurred: etcdserver: request timed out',
    );
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });

  it('a change to the Ingress between its read and the patch is refused, not overwritten', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.shift(NEW, 10);
    world.api.beforeNext('PATCH', () =>
      world.cluster.patch('ingresses', NAMESPACE, 'recommendations', 'application/merge-patch+json', {
        metadata: {
          annotations: {
            [ACTION_KEY]: MANIFEST_ACTION.replace('"weight":100', '"weight":80').replace(
              '"weight":0',
              '"weight":20',
            ),
          },
        },
      }),
    );
    const error = await thrown(platform.shift(NEW, 50));
    expect(error).toMatchObject({ kind: 'conflict', status: 409 });
    expect(error.message).toBe(
      'could not shift 50% of traffic to 2.0.0: 409 Conflict: Operation cannot be fulfilled on ' +
        'ingresses.networking.k8s.io "recommendations": the object has been modified; please apply your ' +
        'changes to the latest version and try again',
    );
    expect(await platform.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 20 });
  });

  it('a patch whose answer was lost is retried, and its own landed change is recognised', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.shift(NEW, 10);
    const before = world.api.requests.length;
    world.api.failNext('PATCH', 503, 1, true);
    await platform.rollback(STABLE);
    expect(linesSince(world.api, before)).toEqual([
      'GET deployments/recommendations-stable',
      'GET deployments/recommendations-canary',
      'GET ingresses/recommendations',
      'GET ingresses/recommendations',
      'PATCH ingresses/recommendations → 503',
      'PATCH ingresses/recommendations → 409',
      'GET ingresses/recommendations',
      'PATCH deployments/recommendations-canary',
    ]);
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });

  it('access denied is not retried and says what access to grant', async () => {
    const world = eksWorld();
    world.api.deny('patch', 'ingresses');
    const error = await thrown(world.platform().shift(NEW, 10));
    expect(error).toMatchObject({ kind: 'access-denied', status: 403 });
    expect(error.message).toBe(
      'could not shift 10% of traffic to 2.0.0: 403 Forbidden: ingresses.networking.k8s.io "recommendations" is ' +
        'forbidden: User "tollgate" cannot patch resource "ingresses" in API group "networking.k8s.io" in the ' +
        'namespace "recommendations". Tollgate\'s role needs the Kubernetes access in platforms/eks/permissions.ts ' +
        '(KUBERNETES_ACCESS) in the workload namespace, through an EKS access entry or RBAC binding',
    );
    expect(linesSince(world.api).filter((line) => line.includes('→ 403'))).toEqual([
      'PATCH ingresses/recommendations → 403',
    ]);
  });

  it('credentials the API server rejects are access denied', async () => {
    const world = eksWorld();
    const server = await world.server;
    const directory = mkdtempSync(join(tmpdir(), 'tollgate-eks-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = writeKubeconfig(directory, server.url, 'expired-token');
    const platform = new EksPlatform({
      workload: 'recommendations',
      target: EKS_TARGET,
      capabilities: EKS_CAPABILITIES,
      cluster: kubeconfigAccess(file),
      clock: world.clock,
    });
    const error = await thrown(platform.current());
    expect(error).toMatchObject({ kind: 'access-denied', status: 401 });
    expect(error.message).toContain(
      'could not read Deployment recommendations/recommendations-stable: 401 Unauthorized: the API server rejected the credentials',
    );
  });

  it('a workload whose objects are missing is UnknownWorkloadError, naming what is missing', async () => {
    const world = eksWorld({ objects: 'nothing' });
    world.cluster.add('deployments', deployment('stable', 2));
    world.cluster.add('deployments', deployment('canary', 0));
    const error = await thrown(world.platform().current());
    expect(error).toBeInstanceOf(UnknownWorkloadError);
    expect(error.message).toBe(
      'workload "recommendations" not found on the fake cluster: no Ingress recommendations in namespace recommendations',
    );
  });

  it('objects that do not say which track they are, or no weighted action, are refused with what to fix', async () => {
    const unlabelled = eksWorld({ objects: 'nothing' });
    const stable = deployment('stable', 2);
    delete ((stable.metadata as { labels: Record<string, string> }).labels as Record<string, string>).track;
    unlabelled.cluster.add('deployments', stable);
    unlabelled.cluster.add('deployments', deployment('canary', 0));
    unlabelled.cluster.add('ingresses', ingress());
    await expect(unlabelled.platform().current()).rejects.toThrow(
      'the Deployments recommendations-stable and recommendations-canary in namespace recommendations must be labelled track: stable and track: canary',
    );

    const unweighted = eksWorld({ objects: 'nothing' });
    unweighted.cluster.add('deployments', deployment('stable', 2));
    unweighted.cluster.add('deployments', deployment('canary', 0));
    unweighted.cluster.add('ingresses', ingress('{"type":"forward","targetGroupName":"legacy"}'));
    await expect(unweighted.platform().current()).rejects.toThrow(
      'Ingress recommendations/recommendations needs exactly one alb.ingress.kubernetes.io/actions.<name> forward action',
    );
  });
});
