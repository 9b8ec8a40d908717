import { describe, expect, it } from 'vitest';
import { formatPlan, plannedDuration, planSteps } from '../../src/plan/plan';
import { PREDEFINED_NAMES } from '../../src/plan/predefined';

const MINUTE = 60_000;

describe('planSteps', () => {
  it.each([
    [
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      [
        [10, 5],
        [100, 0],
      ],
    ],
    [
      'CodeDeployDefault.LambdaCanary10Percent30Minutes',
      [
        [10, 30],
        [100, 0],
      ],
    ],
    [
      'CodeDeployDefault.ECSCanary10Percent15Minutes',
      [
        [10, 15],
        [100, 0],
      ],
    ],
    ['CodeDeployDefault.LambdaAllAtOnce', [[100, 0]]],
    ['CodeDeployDefault.ECSAllAtOnce', [[100, 0]]],
  ])('%s', (name, expected) => {
    expect(planSteps(name).map((step) => [step.weight, step.bakeMs / MINUTE])).toEqual(expected);
  });

  it('linear configurations shift 10% per interval', () => {
    const steps = planSteps('CodeDeployDefault.LambdaLinear10PercentEvery3Minutes');
    expect(steps.map((step) => step.weight)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(plannedDuration(steps)).toBe(27 * MINUTE);
  });

  it('knows all nine Lambda and five ECS predefined configurations', () => {
    expect(PREDEFINED_NAMES.filter((name) => name.includes('.Lambda'))).toHaveLength(9);
    expect(PREDEFINED_NAMES.filter((name) => name.includes('.ECS'))).toHaveLength(5);
    for (const name of PREDEFINED_NAMES) expect(planSteps(name).at(-1)).toEqual({ weight: 100, bakeMs: 0 });
  });

  it('appends the promotion step to custom steps that stop short of 100%', () => {
    expect(planSteps({ steps: [{ weight: 5, bake: MINUTE }] })).toEqual([
      { weight: 5, bakeMs: MINUTE },
      { weight: 100, bakeMs: 0 },
    ]);
  });

  it('prints a readable plan', () => {
    expect(formatPlan(planSteps('CodeDeployDefault.ECSCanary10Percent5Minutes'))).toEqual([
      'step 1/2: 10% on the new version, bake 5m',
      'step 2/2: 100% on the new version, promote',
    ]);
  });

  it('refuses a name it does not know rather than guessing', () => {
    expect(() => planSteps('CodeDeployDefault.OneAtATime')).toThrow('unknown deployment configuration');
  });
});
