import { describe, expect, it } from 'vitest';
import {
  checkNextWeight,
  nextWeight,
  releaseConfiguration,
  scheduleOf,
  stepIndexOf,
} from '../../../src/platforms/ecs/native-schedule';

const WHERE = 'ECS service s in cluster c';

describe("the schedule of an ECS-native service's deployment configuration", () => {
  it('is the canary percent then 100, or equal linear steps in tenths (ECS defaults when unset)', () => {
    const canary = { strategy: 'CANARY' as const, canaryConfiguration: { canaryPercent: 12.5 } };
    expect(scheduleOf(canary, WHERE).weights).toEqual([12.5, 100]);
    expect(scheduleOf({ strategy: 'CANARY' }, WHERE).weights).toEqual([5, 100]);
    const linear = { strategy: 'LINEAR' as const, linearConfiguration: { stepPercent: 33.3 } };
    expect(scheduleOf(linear, WHERE).weights).toEqual([33.3, 66.6, 99.9, 100]);
    expect(scheduleOf({ strategy: 'LINEAR' }, WHERE).weights).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
    expect(() => scheduleOf({ strategy: 'ROLLING' }, WHERE)).toThrow(
      'ECS service s in cluster c deploys with the ROLLING strategy; the ecs-native method needs CANARY or LINEAR in its deployment configuration',
    );
  });

  it('moves one step at a time', () => {
    const schedule = scheduleOf({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 30 } }, WHERE);
    expect([nextWeight(schedule, 0), nextWeight(schedule, 90), nextWeight(schedule, 100)]).toEqual([
      30,
      100,
      undefined,
    ]);
    expect([stepIndexOf(schedule, 0), stepIndexOf(schedule, 60), stepIndexOf(schedule, 100)]).toEqual([
      -1, 1, 3,
    ]);
    expect(() => checkNextWeight(schedule, 0, 30, WHERE)).not.toThrow();
    expect(() => checkNextWeight(schedule, 30, 30, WHERE)).not.toThrow();
    expect(() => checkNextWeight(schedule, 0, 60, WHERE)).toThrow('is at 0%; its next step is 30%, not 60%');
    expect(() => checkNextWeight(schedule, 0, 45, WHERE)).toThrow('it cannot shift 45%');
  });

  it("a release's configuration keeps everything, sets ECS's step bake to 0 and owns the pause before each shift", () => {
    const lambdaHook = {
      targetType: 'AWS_LAMBDA' as const,
      hookTargetArn: 'arn:aws:lambda:eu-west-1:222222222222:function:smoke',
      roleArn: 'arn:aws:iam::222222222222:role/hooks',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const],
    };
    const approval = {
      targetType: 'PAUSE' as const,
      lifecycleStages: ['POST_SCALE_UP' as const, 'PRE_PRODUCTION_TRAFFIC_SHIFT' as const],
      timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' as const },
    };
    const live = {
      strategy: 'LINEAR' as const,
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 6 },
      bakeTimeInMinutes: 15,
      alarms: { alarmNames: ['a'], enable: true, rollback: true },
      lifecycleHooks: [lambdaHook, approval],
    };
    expect(releaseConfiguration(live, scheduleOf(live, WHERE), 1440)).toEqual({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 15,
      alarms: { alarmNames: ['a'], enable: true, rollback: true },
      lifecycleHooks: [
        lambdaHook,
        { ...approval, lifecycleStages: ['POST_SCALE_UP'] },
        {
          targetType: 'PAUSE',
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
        },
      ],
    });
  });
});
