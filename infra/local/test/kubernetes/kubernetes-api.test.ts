import { request as httpsRequest } from 'node:https';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { eksToken } from '@tollgate/pipelines/platforms/eks/eks-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksTokenProblem } from '../../src/kubernetes/bearer-token';
import { kubernetesApis, type LocalEks, localEks, TARGET } from '../services/eks/local-eks';

let world: LocalEks;
beforeAll(async () => {
  world = await localEks();
});
afterAll(() => world.close());

const NAMESPACE = TARGET.namespace;

const apis = (token: string) => kubernetesApis(world, token);

function rawGet(path: string, authorization: string): Promise<{ status: number; body: unknown }> {
  const cluster = world.service.cluster(TARGET.clusterName);
  const url = new URL(path, cluster?.url);
  const ca = Buffer.from(cluster?.caData ?? '', 'base64').toString();
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { ca, headers: { authorization } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

const validToken = () => eksToken(world.sts, TARGET.clusterName, new Date(world.clock.now()));

/** The Status body and code of a failed call. */
async function failure(call: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as { code: number; body: unknown } | undefined;
  if (!error) throw new Error('expected the call to fail');
  const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
  return { code: error.code, body: body as Record<string, unknown> };
}

describe('the local Kubernetes API over HTTPS', () => {
  it('answers 401 Unauthorized with a Status to a token that is not an EKS token', async () => {
    const { code } = await failure(
      apis('not-an-eks-token').apps.readNamespacedDeployment({
        name: 'recommendations-stable',
        namespace: NAMESPACE,
      }),
    );
    expect(code).toBe(401);
    // The client drops a 401's body; read the wire answer itself.
    const raw = await rawGet(
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/recommendations-stable`,
      'Bearer x',
    );
    expect(raw).toEqual({
      status: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
    });
  });

  it('accepts the adapter-made token, and refuses it once it is 15 minutes old on cloud time', async () => {
    const token = await validToken();
    expect(eksTokenProblem(`Bearer ${token}`, world.clock.now())).toBeUndefined();
    expect(eksTokenProblem(`Bearer ${token}`, world.clock.now() + 16 * 60_000)).toContain('expired');
    const wrongAction = `k8s-aws-v1.${Buffer.from('https://sts.eu-west-1.amazonaws.com/?Action=GetSessionToken').toString('base64url')}`;
    expect(eksTokenProblem(`Bearer ${wrongAction}`, world.clock.now())).toBe(
      'unexpected action parameter in pre-signed URL',
    );
  });

  it('answers 404, 409 and 422 as kube-apiserver words them', async () => {
    const { apps, networking } = apis(await validToken());
    const missing = await failure(apps.readNamespacedDeployment({ name: 'nope', namespace: NAMESPACE }));
    expect(missing).toEqual({
      code: 404,
      body: expect.objectContaining({ reason: 'NotFound', message: 'deployments.apps "nope" not found' }),
    });
    const stale = await failure(
      networking.patchNamespacedIngress(
        { name: 'recommendations', namespace: NAMESPACE, body: { metadata: { resourceVersion: '1' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const negative = await failure(
      apps.patchNamespacedDeployment(
        { name: 'recommendations-canary', namespace: NAMESPACE, body: { spec: { replicas: -1 } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(negative.code).toBe(422);
    expect(negative.body).toMatchObject({ reason: 'Invalid' });
    expect(String(negative.body.message)).toContain('spec.replicas: Invalid value: -1');
  });

  it('applies JSON patches, and bumps generation only when the spec changes', async () => {
    const { apps } = apis(await validToken());
    const before = await apps.readNamespacedDeployment({
      name: 'recommendations-canary',
      namespace: NAMESPACE,
    });
    const labelled = await apps.patchNamespacedDeployment(
      {
        name: 'recommendations-canary',
        namespace: NAMESPACE,
        body: [{ op: 'add', path: '/metadata/labels/owner', value: 'tollgate' }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(labelled.metadata?.labels?.owner).toBe('tollgate');
    expect(labelled.metadata?.generation).toBe(before.metadata?.generation);
    expect(labelled.metadata?.resourceVersion).not.toBe(before.metadata?.resourceVersion);
    const list = await apps.listNamespacedDeployment({ namespace: NAMESPACE, labelSelector: 'track=canary' });
    expect(list.items.map((d) => d.metadata?.name)).toEqual(['recommendations-canary']);
  });
});
