import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { EcsNativePlatform } from '../../../src/platforms/ecs/ecs-native-platform';
import { type Capabilities, releaseMethods } from '../../../src/targets/capabilities';
import type { EcsTarget } from '../../../src/targets/manifest';
import { VirtualClock } from '../../../src/time/clock';
import { TEST_MANIFEST } from '../../fixtures/manifest';
import { FakeNativeEcs, type FakeNativeEcsOptions } from './fake-native-ecs';
import { ACCOUNT, liveRegistration, REGION } from './fake-task-definitions';

/** auth in the test manifest: an ECS-native canary service. */
export const AUTH = TEST_MANIFEST.workloads.auth?.environments.production as EcsTarget;
export const NATIVE = releaseMethods(AUTH)[0] as Capabilities;
export const POLL_MS = 5_000;

export const imageOf = (version: string) =>
  `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/auth@sha256:${version.replaceAll('.', '').padEnd(64, 'a')}`;

/** The service's deployment configuration as the infra creates it (ecsCanaryRelease): canary 10%, alarms. */
export const CANARY_10: DeploymentConfiguration = {
  strategy: 'CANARY',
  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
  bakeTimeInMinutes: 5,
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: true, rollback: true },
  alarms: { alarmNames: ['shop-production-auth-5xx'], enable: true, rollback: true },
};

export const LINEAR_30: DeploymentConfiguration = {
  ...CANARY_10,
  strategy: 'LINEAR',
  canaryConfiguration: undefined,
  linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 6 },
};

export interface NativeWorld {
  clock: VirtualClock;
  fake: FakeNativeEcs;
  platform: EcsNativePlatform;
  /** A new adapter over the same ECS, as a run after a crash builds it. */
  open(): EcsNativePlatform;
}

export function nativeWorld(
  options: Partial<Omit<FakeNativeEcsOptions, 'clock' | 'target'>> & { prebuilt?: string[] } = {},
): NativeWorld {
  const clock = new VirtualClock(Date.parse('2026-06-01T00:00:00Z'));
  const fake = new FakeNativeEcs({
    clock,
    target: AUTH,
    stableVersion: options.stableVersion ?? '1.0.0',
    configuration: options.configuration ?? CANARY_10,
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.exists === undefined ? {} : { exists: options.exists }),
  });
  // Revisions a build registered for these releases beforehand (with the release tag, as prepare does).
  for (const version of options.prebuilt ?? []) {
    const registration = liveRegistration(AUTH.taskFamily, AUTH.containerName, imageOf(version), version);
    fake.taskDefinitions.add({
      ...registration,
      tags: [...(registration.tags ?? []), { key: 'tollgate:release', value: version }],
    });
  }
  const open = () =>
    new EcsNativePlatform({
      workload: 'auth',
      target: AUTH,
      capabilities: NATIVE,
      client: fake.client,
      clock,
      pollMs: POLL_MS,
    });
  return { clock, fake, platform: open(), open };
}
