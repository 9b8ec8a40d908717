import { describe, expect, it } from 'vitest';
import type { Revision } from '../../../src/platforms/port';
import { eksWorld, thrown } from './eks-world';
import {
  deployment,
  ingress,
  NAMESPACE,
  NEW_IMAGE,
  STABLE_IMAGE,
  weightsOf,
} from './recommendations-fixture';
import { linesSince } from './requests';

const STABLE: Revision = { version: '1.0.0', ref: STABLE_IMAGE };
const NEW: Revision = { version: '2.0.0', ref: NEW_IMAGE };

describe('EksPlatform: what a crashed run leaves, found by a new one', () => {
  it('a canary at its weight is read back from the objects alone, and a new adapter rolls it back', async () => {
    const world = eksWorld();
    await world.platform().shift(NEW, 10);
    const revived = world.platform();
    expect(await revived.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 10 });
    await revived.rollback(STABLE);
    expect(await world.platform().current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });

  it('a shift that died after starting the canary pods shows the canary at 0%; the next shift finishes it', async () => {
    const world = eksWorld();
    world.cluster.patch(
      'deployments',
      NAMESPACE,
      'recommendations-canary',
      'application/strategic-merge-patch+json',
      {
        metadata: { annotations: { 'tollgate.dev/release': '2.0.0' } },
        spec: {
          replicas: 1,
          template: {
            metadata: { annotations: { 'tollgate.dev/release': '2.0.0' } },
            spec: { containers: [{ name: 'recommendations', image: NEW_IMAGE }] },
          },
        },
      },
    );
    const revived = world.platform();
    expect(await revived.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 0 });
    await revived.shift(NEW, 10);
    expect(await revived.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 10 });
  });

  it('a promote that died after the stable rollout began reads as the new version everywhere; promote finishes it', async () => {
    const world = eksWorld();
    const first = world.platform();
    await first.shift(NEW, 50);
    // What promote's first change leaves if the process dies there: the stable track on the new image.
    world.cluster.patch(
      'deployments',
      NAMESPACE,
      'recommendations-stable',
      'application/strategic-merge-patch+json',
      {
        metadata: { annotations: { 'tollgate.dev/release': '2.0.0' } },
        spec: {
          template: {
            metadata: { annotations: { 'tollgate.dev/release': '2.0.0' } },
            spec: { containers: [{ name: 'recommendations', image: NEW_IMAGE }] },
          },
        },
      },
    );
    const revived = world.platform();
    expect(await revived.current()).toEqual({ stable: NEW, canaryWeight: 0 });
    await revived.promote(NEW);
    expect(weightsOf(world.cluster.get('ingresses', NAMESPACE, 'recommendations'))).toEqual({
      'recommendations-stable': 100,
      'recommendations-canary': 0,
    });
    const canary = world.cluster.get('deployments', NAMESPACE, 'recommendations-canary') as {
      spec: { replicas: number };
    };
    expect(canary.spec.replicas).toBe(0);
  });
});

describe('EksPlatform: a deployment that fails for a reason other than a gate', () => {
  it('a canary whose pods never become ready fails the shift within the rollout limit, weights untouched', async () => {
    const world = eksWorld({ rollout: { timeoutMs: 120_000 } });
    world.cluster.breakImage(NEW_IMAGE);
    const platform = world.platform();
    const started = world.clock.now();
    const error = await thrown(platform.shift(NEW, 10));
    expect(error.message).toBe(
      'the canary rollout of 2.0.0 did not complete within 2m: 0 of 1 updated replicas available. Its pods are not ' +
        'becoming ready; see `kubectl -n recommendations describe deployment recommendations-canary` ' +
        '(Deployment recommendations/recommendations-canary)',
    );
    expect(world.clock.now() - started).toBe(120_000);
    expect(linesSince(world.api).filter((line) => line.startsWith('PATCH'))).toEqual([
      'PATCH deployments/recommendations-canary',
    ]);
    expect(await platform.current()).toEqual({ stable: STABLE, canary: NEW, canaryWeight: 0 });
    await platform.rollback(STABLE);
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });

  it('stops waiting as soon as the Deployment controller reports the progress deadline exceeded', async () => {
    const world = eksWorld({ objects: 'nothing' });
    const canary = deployment('canary', 0);
    (canary.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds = 60;
    world.cluster.add('deployments', deployment('stable', 2));
    world.cluster.add('deployments', canary);
    world.cluster.add('ingresses', ingress());
    world.cluster.breakImage(NEW_IMAGE);
    const started = world.clock.now();
    const error = await thrown(world.platform().shift(NEW, 10));
    expect(error.message).toContain(
      'the canary rollout of 2.0.0 did not complete: ProgressDeadlineExceeded: ReplicaSet "recommendations-canary" has timed out progressing.',
    );
    expect(world.clock.now() - started).toBe(65_000);
  });

  it('a stable rollout that never completes fails the promote before any traffic moves to it', async () => {
    const world = eksWorld({ rollout: { timeoutMs: 60_000 } });
    const platform = world.platform();
    await platform.shift(NEW, 10);
    world.cluster.breakImage(NEW_IMAGE);
    const error = await thrown(platform.promote(NEW));
    expect(error.message).toContain(
      'the stable rollout of 2.0.0 did not complete within 1m: 2 old replicas are pending termination',
    );
    expect(weightsOf(world.cluster.get('ingresses', NAMESPACE, 'recommendations'))).toEqual({
      'recommendations-stable': 90,
      'recommendations-canary': 10,
    });
    // What the engine does next: roll back to the stable revision it started from.
    await platform.rollback(STABLE);
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });

  it('a shift still waiting when a rollback begins stops without moving traffic', async () => {
    const world = eksWorld({ rollout: { timeoutMs: 24 * 60 * 60_000 } });
    world.cluster.breakImage(NEW_IMAGE);
    const platform = world.platform();
    const shifting = thrown(platform.shift(NEW, 10));
    while (!world.api.requests.some((request) => request.method === 'PATCH')) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await platform.rollback(STABLE);
    expect((await shifting).message).toBe(
      'a later change to recommendations took over; this one stopped before changing anything more',
    );
    const patches = linesSince(world.api).filter((line) => line.startsWith('PATCH'));
    expect(patches).toEqual([
      'PATCH deployments/recommendations-canary',
      'PATCH deployments/recommendations-canary',
    ]);
    expect(await platform.current()).toEqual({ stable: STABLE, canaryWeight: 0 });
  });
});
