import { describe, expect, it } from 'vitest';
import { MAX_TARGET_GROUP_WEIGHT } from '../../../src/platforms/eks/ingress-weights';
import { KUBERNETES_ACCESS } from '../../../src/platforms/eks/permissions';
import type { Revision } from '../../../src/platforms/port';
import { eksWorld, TOKEN } from './eks-world';
import { ACTION_KEY, NEW_IMAGE, REGISTRY, STABLE_IMAGE, weightsOf } from './recommendations-fixture';
import { linesSince, patchesSince } from './requests';

const STABLE: Revision = { version: '1.0.0', ref: STABLE_IMAGE };
const NEW: Revision = { version: '2.0.0', ref: NEW_IMAGE };
const READ = [
  'GET deployments/recommendations-stable',
  'GET deployments/recommendations-canary',
  'GET ingresses/recommendations',
];
const RELEASE = 'tollgate.dev/release';

/** The weighted action as the adapter writes it: the manifest's fields, compact, with new weights. */
function action(stable: number, canary: number): string {
  return JSON.stringify({
    type: 'forward',
    forwardConfig: {
      targetGroups: [
        { serviceName: 'recommendations-stable', servicePort: '80', weight: stable },
        { serviceName: 'recommendations-canary', servicePort: '80', weight: canary },
      ],
      targetGroupStickinessConfig: { enabled: false },
    },
  });
}

function releaseBody(revision: Revision, replicas?: number) {
  const annotations = { [RELEASE]: revision.version };
  return {
    metadata: { annotations },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      template: {
        metadata: { annotations },
        spec: { containers: [{ name: 'recommendations', image: revision.ref }] },
      },
    },
  };
}

describe('EksPlatform: reading the workload', () => {
  it('reports the stable track at 100% while the canary has neither pods nor weight', async () => {
    const world = eksWorld();
    expect(await world.platform().current()).toEqual({ stable: STABLE, canaryWeight: 0 });
    expect(linesSince(world.api)).toEqual(READ);
    for (const request of world.api.requests) {
      expect(request.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.userAgent).toBe('tollgate/0.1.0');
    }
  });

  it('stages an image without touching the cluster, and derives one from the version when none is given', async () => {
    const world = eksWorld();
    const platform = world.platform();
    expect(await platform.prepare({ version: '2.0.0', source: { kind: 'image', uri: NEW_IMAGE } })).toEqual(
      NEW,
    );
    expect(await platform.prepare({ version: '2.1.0' })).toEqual({
      version: '2.1.0',
      ref: `${REGISTRY}:2.1.0`,
    });
    expect(await platform.prepare({ version: '1.0.0' })).toEqual(STABLE);
    expect(world.api.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('refuses artifacts that are not images, images that are not references, and a second image for a version', async () => {
    const platform = eksWorld().platform();
    await expect(
      platform.prepare({ version: '2.0.0', source: { kind: 'zip', path: 'dist/app.zip' } }),
    ).rejects.toThrow(
      'recommendations runs on EKS, which releases container images: 2.0.0 was given as a zip artifact; pass its image (an ECR image URI, ideally by digest)',
    );
    await expect(
      platform.prepare({ version: '2.0.0', source: { kind: 'image', uri: 'Not An Image' } }),
    ).rejects.toThrow('"Not An Image" is not a container image reference with a tag or digest (2.0.0)');
    await expect(
      platform.prepare({ version: '1.0.0', source: { kind: 'image', uri: NEW_IMAGE } }),
    ).rejects.toThrow(`1.0.0 is already stable on recommendations as ${STABLE_IMAGE}`);
    await expect(platform.prepare({ version: '2.0.0+build.7' })).rejects.toThrow(
      'no image was given for 2.0.0+build.7, and "2.0.0+build.7" cannot be a tag of the stable image',
    );
  });
});

describe('EksPlatform: a release, request by request', () => {
  it('shift starts the canary track, waits for its pods, then moves the weights', async () => {
    const world = eksWorld();
    const platform = world.platform();
    const startedAt = world.clock.now();
    await platform.shift(NEW, 10);

    // The canary's one pod is ready 20 s after the change; the adapter polls every 5 s.
    expect(linesSince(world.api)).toEqual([
      ...READ,
      'PATCH deployments/recommendations-canary',
      ...Array(4).fill('GET deployments/recommendations-canary'),
      'GET ingresses/recommendations',
      'PATCH ingresses/recommendations',
    ]);
    expect(world.clock.now() - startedAt).toBe(20_000);
    expect(patchesSince(world.api)).toEqual([
      {
        target: 'PATCH deployments/recommendations-canary',
        contentType: 'application/strategic-merge-patch+json',
        body: releaseBody(NEW, 1),
      },
      {
        target: 'PATCH ingresses/recommendations',
        contentType: 'application/merge-patch+json',
        body: { metadata: { resourceVersion: '1003', annotations: { [ACTION_KEY]: action(90, 10) } } },
      },
    ]);
    expect(await platform.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 10 });
  });

  it('keeps the rest of the Deployment: env, probes and labels stay as applied', async () => {
    const world = eksWorld();
    await world.platform().shift(NEW, 10);
    const canary = world.cluster.get('deployments', 'recommendations', 'recommendations-canary') as never as {
      metadata: { annotations: Record<string, string> };
      spec: {
        replicas: number;
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { containers: { env: unknown[]; image: string; readinessProbe: unknown }[] };
        };
      };
    };
    const [container] = canary.spec.template.spec.containers;
    expect(container?.image).toBe(NEW_IMAGE);
    expect(container?.env).toHaveLength(2);
    expect(container?.readinessProbe).toEqual({
      httpGet: { path: '/health', port: 'http' },
      periodSeconds: 5,
    });
    expect(canary.metadata.annotations[RELEASE]).toBe('2.0.0');
    expect(canary.spec.template.metadata.annotations[RELEASE]).toBe('2.0.0');
    expect(canary.spec.replicas).toBe(1);
  });

  it('shifting again to the same weight sends no change; a higher weight moves only the weights', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.shift(NEW, 10);
    const before = world.api.requests.length;
    await platform.shift(NEW, 10);
    expect(linesSince(world.api, before)).toEqual([...READ, 'GET ingresses/recommendations']);
    const again = world.api.requests.length;
    await platform.shift(NEW, 50);
    // Two stable replicas: half their load still fits on one canary pod.
    expect(patchesSince(world.api, again).map((patch) => patch.target)).toEqual([
      'PATCH ingresses/recommendations',
    ]);
    expect(weightsOf(world.cluster.get('ingresses', 'recommendations', 'recommendations'))).toEqual({
      'recommendations-stable': 50,
      'recommendations-canary': 50,
    });
  });

  it('scales the canary with its share of a larger stable track', async () => {
    const world = eksWorld();
    world.cluster.patch(
      'deployments',
      'recommendations',
      'recommendations-stable',
      'application/merge-patch+json',
      {
        spec: { replicas: 10 },
      },
    );
    world.clock.advance(60_000);
    const platform = world.platform();
    await platform.shift(NEW, 10);
    const at10 = world.api.requests.length;
    await platform.shift(NEW, 50);
    expect(patchesSince(world.api, at10)[0]).toEqual({
      target: 'PATCH deployments/recommendations-canary',
      contentType: 'application/strategic-merge-patch+json',
      body: releaseBody(NEW, 5),
    });
    expect(await platform.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 50 });
  });

  it('promote rolls the stable track out, then sends it all traffic, then scales the canary to zero', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.shift(NEW, 50);
    const before = world.api.requests.length;
    await platform.promote(NEW);

    expect(linesSince(world.api, before)).toEqual([
      ...READ,
      'PATCH deployments/recommendations-stable',
      ...Array(4).fill('GET deployments/recommendations-stable'),
      'GET ingresses/recommendations',
      'PATCH ingresses/recommendations',
      'PATCH deployments/recommendations-canary',
    ]);
    expect(patchesSince(world.api, before).map(({ target, body }) => ({ target, body }))).toEqual([
      { target: 'PATCH deployments/recommendations-stable', body: releaseBody(NEW) },
      {
        target: 'PATCH ingresses/recommendations',
        body: { metadata: { resourceVersion: '1005', annotations: { [ACTION_KEY]: action(100, 0) } } },
      },
      { target: 'PATCH deployments/recommendations-canary', body: { spec: { replicas: 0 } } },
    ]);
    expect(await platform.current()).toEqual({ stable: NEW, canaryWeight: 0 });
    const promoted = world.api.requests.length;
    await platform.promote(NEW);
    expect(patchesSince(world.api, promoted)).toEqual([]);
  });

  it('rollback mid-step sends all traffic to stable first, then scales the canary to zero', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.shift(NEW, 10);
    const before = world.api.requests.length;
    await platform.rollback(STABLE);
    expect(patchesSince(world.api, before).map(({ target, body }) => ({ target, body }))).toEqual([
      {
        target: 'PATCH ingresses/recommendations',
        body: { metadata: { resourceVersion: '1005', annotations: { [ACTION_KEY]: action(100, 0) } } },
      },
      { target: 'PATCH deployments/recommendations-canary', body: { spec: { replicas: 0 } } },
    ]);
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });

  it('rollback(to) after a promote puts the stable track back on the previous image', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.shift(NEW, 10);
    await platform.promote(NEW);
    const before = world.api.requests.length;
    await platform.rollback(STABLE);
    expect(patchesSince(world.api, before).map(({ target, body }) => ({ target, body }))).toEqual([
      { target: 'PATCH deployments/recommendations-stable', body: releaseBody(STABLE) },
    ]);
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
    await expect(platform.rollback({ version: '1.0.0', ref: 'unknown' })).rejects.toThrow(
      'all traffic is on 1.0.0, but recommendations cannot be rolled back to 1.0.0: "unknown" is not an image reference with a tag or digest',
    );
  });

  it('writes only whole weights within the load balancer range (ELB TargetGroupTuple: 0 to 999), refusing others', async () => {
    const world = eksWorld();
    const platform = world.platform();
    for (const weight of [1, 10, 33, 50, 99]) await platform.shift(NEW, weight);
    await expect(platform.shift(NEW, 12.5)).rejects.toThrow('not a multiple of 1%');
    const written = world.api.requests
      .filter((request) => request.method === 'PATCH' && request.path.endsWith('/ingresses/recommendations'))
      .map((request) =>
        JSON.parse(
          String(
            (request.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations[
              ACTION_KEY
            ],
          ),
        ),
      );
    expect(written).toHaveLength(5);
    for (const value of written) {
      // No npm-installable model carries the range; the ELB API reference's TargetGroupTuple says "The
      // weight. The range is 0 to 999." The ALB controller passes these weights through to it.
      const weights = value.forwardConfig.targetGroups.map((group: { weight: number }) => group.weight);
      for (const weight of weights) {
        expect(Number.isInteger(weight) && weight >= 0 && weight <= MAX_TARGET_GROUP_WEIGHT).toBe(true);
      }
      expect(weights[0] + weights[1]).toBe(100);
    }
  });

  it('uses exactly the Kubernetes access that permissions.ts lists, nothing more', async () => {
    const world = eksWorld();
    const platform = world.platform();
    await platform.prepare({ version: '2.0.0' });
    await platform.shift(NEW, 10);
    await platform.rollback(STABLE);
    await platform.shift(NEW, 10);
    await platform.promote(NEW);
    await platform.rollback(STABLE);
    const used = new Set(world.api.requests.map((request) => request.access));
    const listed = new Set(
      KUBERNETES_ACCESS.flatMap((rule) => rule.verbs.map((verb) => `${verb} ${rule.resource}`)),
    );
    expect(used).toEqual(listed);
  });
});
