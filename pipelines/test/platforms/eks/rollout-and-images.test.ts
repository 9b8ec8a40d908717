import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { canaryReplicas } from '../../../src/platforms/eks/eks-platform';
import { imageForVersion, isPinnedImage, parseImage } from '../../../src/platforms/eks/image-reference';
import { rolloutState } from '../../../src/platforms/eks/rollout';

function deployment(generation: number, status: V1Deployment['status'], replicas = 2): V1Deployment {
  return {
    metadata: { name: 'recommendations-canary', namespace: 'recommendations', generation },
    spec: { replicas, selector: {}, template: {} },
    ...(status ? { status } : {}),
  };
}

describe('rollout status, judged as kubectl rollout status judges it', () => {
  it('waits for the controller to observe the change, then for updated, then for old replicas to go', () => {
    expect(rolloutState(deployment(3, { observedGeneration: 2 }))).toEqual({
      done: false,
      failed: false,
      reason: 'the Deployment controller has not observed the change yet',
    });
    expect(rolloutState(deployment(3, { observedGeneration: 3, updatedReplicas: 1 }))).toMatchObject({
      reason: '1 of 2 replicas updated',
    });
    expect(
      rolloutState(deployment(3, { observedGeneration: 3, updatedReplicas: 2, replicas: 3 })),
    ).toMatchObject({
      reason: '1 old replicas are pending termination',
    });
    expect(
      rolloutState(
        deployment(3, { observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }),
      ),
    ).toMatchObject({ reason: '1 of 2 updated replicas available' });
    expect(
      rolloutState(
        deployment(3, { observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
      ),
    ).toEqual({ done: true });
  });

  it('fails on ProgressDeadlineExceeded and names a ReplicaFailure while waiting', () => {
    const stalled = deployment(3, {
      observedGeneration: 3,
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' },
      ],
    });
    expect(rolloutState(stalled)).toEqual({
      done: false,
      failed: true,
      reason: 'ProgressDeadlineExceeded: timed out',
    });
    const quota = deployment(3, {
      observedGeneration: 3,
      updatedReplicas: 0,
      conditions: [
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
      ],
    });
    expect(rolloutState(quota)).toMatchObject({
      failed: false,
      reason: '0 of 2 replicas updated (FailedCreate: exceeded quota)',
    });
  });
});

describe('canary replicas', () => {
  it('cover the canary share of the stable replicas, at least one', () => {
    expect([1, 10, 50, 99, 100].map((weight) => canaryReplicas(2, weight))).toEqual([1, 1, 1, 2, 2]);
    expect([1, 10, 25, 50].map((weight) => canaryReplicas(10, weight))).toEqual([1, 1, 3, 5]);
  });
});

describe('image references', () => {
  it('parse registry, repository, tag and digest', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(
      parseImage(`222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/recommendations:1.0.0@${digest}`),
    ).toEqual({
      name: '222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/recommendations',
      tag: '1.0.0',
      digest,
    });
    expect(parseImage('localhost:5000/app:v2')).toEqual({ name: 'localhost:5000/app', tag: 'v2' });
    expect(parseImage('Securecart/App:1')).toBeUndefined();
    expect(parseImage('app@sha256:short')).toBeUndefined();
  });

  it('are pinned only with a tag or digest, and a version becomes a tag of the stable repository', () => {
    expect(isPinnedImage('securecart/recommendations')).toBe(false);
    expect(isPinnedImage('securecart/recommendations:1.0.0')).toBe(true);
    expect(imageForVersion(`securecart/recommendations@sha256:${'1'.repeat(64)}`, '1.1.0')).toBe(
      'securecart/recommendations:1.1.0',
    );
    expect(imageForVersion('securecart/recommendations:1.0.0', '1.1.0+build')).toBeUndefined();
  });
});
