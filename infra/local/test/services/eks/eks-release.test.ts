import { eksToken } from '@tollgate/pipelines/platforms/eks/eks-token';
import { rolloutState } from '@tollgate/pipelines/platforms/eks/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { kubernetesApis, type LocalEks, localEks, TARGET, versionsServed } from './local-eks';

const REPOSITORY = TARGET.imageRepository as string;
let world: LocalEks | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the EKS adapter releasing recommendations on the local cluster', () => {
  it('starts at 1.0.0 on two stable pods, all traffic on stable', async () => {
    world = await localEks();
    const platform = world.platform();
    expect(await platform.current()).toEqual({
      stable: { version: '1.0.0', ref: `${REPOSITORY}:1.0.0` },
      canaryWeight: 0,
    });
    const running = world.runtime.running().filter((c) => c.spec.logGroup === TARGET.logGroup);
    expect(running.map((c) => c.version)).toEqual(['1.0.0', '1.0.0']);
    expect(running[0]?.spec.workload).toBe('recommendations');
    const entry = world.service.entryPoint('recommendations', 'production');
    expect(await versionsServed(entry.url, 10)).toEqual({ '1.0.0': 10 });
  });

  it('stages a canary, weights it 10/90 on the Ingress, then promotes it', async () => {
    world = await localEks();
    const platform = world.platform();
    const revision = await platform.prepare({ version: '2.0.0' });
    expect(revision).toEqual({ version: '2.0.0', ref: `${REPOSITORY}:2.0.0` });

    const shiftStarted = Date.now();
    await platform.shift(revision, 10);
    const shiftMs = Date.now() - shiftStarted;
    expect(await platform.current()).toEqual({
      stable: { version: '1.0.0', ref: `${REPOSITORY}:1.0.0` },
      canary: revision,
      canaryWeight: 10,
    });
    const router = world.routers.find((r) => r.url === entryUrl(world as LocalEks));
    const weights = router?.targets().map((t) => [t.id.split('/')[0], t.weight]);
    expect(weights?.sort()).toEqual([
      ['recommendations-canary', 10_000],
      ['recommendations-stable', 45_000],
      ['recommendations-stable', 45_000],
    ]);
    const served = await versionsServed(entryUrl(world), 200);
    expect(served['2.0.0']).toBeGreaterThanOrEqual(14);
    expect(served['2.0.0']).toBeLessThanOrEqual(26);

    const promoteStarted = Date.now();
    await platform.promote(revision);
    const promoteMs = Date.now() - promoteStarted;
    expect(await platform.current()).toEqual({ stable: revision, canaryWeight: 0 });
    expect(await versionsServed(entryUrl(world), 20)).toEqual({ '2.0.0': 20 });
    const running = () => world?.runtime.running().filter((c) => c.spec.logGroup === TARGET.logGroup);
    // The canary's pod and the old stable pods stop after they leave the endpoints (2 s of cloud time).
    await until(() => running()?.length === 2);
    expect(running()?.map((c) => `${c.version} ${c.spec.image}`)).toEqual([
      `2.0.0 ${REPOSITORY}:2.0.0`,
      `2.0.0 ${REPOSITORY}:2.0.0`,
    ]);
    const token = await eksToken(world.sts, TARGET.clusterName, new Date(world.clock.now()));
    const { apps } = kubernetesApis(world, token);
    const stable = await apps.readNamespacedDeployment({
      name: 'recommendations-stable',
      namespace: TARGET.namespace,
    });
    expect(rolloutState(stable)).toEqual({ done: true });
    expect(stable.status).toMatchObject({
      observedGeneration: 2,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(stable.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    console.info(`EKS rollout (scale 200): canary shift ${shiftMs} ms real, promote ${promoteMs} ms real`);
  });

  it('reports a canary whose pods crash on start as a failed rollout, and keeps traffic on stable', async () => {
    world = await localEks();
    world.faults.versions.push({ workload: 'recommendations', version: '3.0.0', crashOnStart: true });
    const platform = world.platform({ timeoutMs: 20 * 60_000 });
    const revision = await platform.prepare({ version: '3.0.0' });
    const started = world.clock.now();
    const error = await platform.shift(revision, 10).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toContain(
      'the canary rollout of 3.0.0 did not complete: ProgressDeadlineExceeded',
    );
    expect(error?.message).toContain('ReplicaSet "recommendations-canary-');
    expect(world.clock.now() - started).toBeGreaterThanOrEqual(600_000);
    const state = await platform.current();
    expect(state.canaryWeight).toBe(0);
    expect(await versionsServed(entryUrl(world), 10)).toEqual({ '1.0.0': 10 });
  });
});

function entryUrl(world: LocalEks): string {
  return world.service.entryPoint('recommendations', 'production').url;
}

async function until(condition: () => boolean, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
