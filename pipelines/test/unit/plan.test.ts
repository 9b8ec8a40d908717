import { describe, expect, it } from 'vitest';
import { describeShape, formatPlan, plannedDuration, planSteps } from '../../src/plan/plan';
import { PREDEFINED_CONFIGS, PREDEFINED_NAMES } from '../../src/plan/predefined';
import type { Shape } from '../../src/plan/shape';

const MINUTE = 60_000;
const shapeOf = (name: string): Shape => {
  const config = PREDEFINED_CONFIGS[name];
  if (!config) throw new Error(`no such configuration ${name}`);
  return config.shape;
};

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
    expect(planSteps(shapeOf(name)).map((step) => [step.weight, step.bakeMs / MINUTE])).toEqual(expected);
  });

  it('linear configurations shift 10% per interval', () => {
    const steps = planSteps(shapeOf('CodeDeployDefault.LambdaLinear10PercentEvery3Minutes'));
    expect(steps.map((step) => step.weight)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(plannedDuration(steps)).toBe(27 * MINUTE);
  });

  it('a linear step that does not divide 100 ends with a shorter last step, without rounding drift', () => {
    const steps = planSteps({ kind: 'linear', weight: 33.3, bakeMs: MINUTE });
    expect(steps.map((step) => step.weight)).toEqual([33.3, 66.6, 99.9, 100]);
  });

  it('knows all nine Lambda and five ECS predefined configurations', () => {
    expect(PREDEFINED_NAMES.filter((name) => name.includes('.Lambda'))).toHaveLength(9);
    expect(PREDEFINED_NAMES.filter((name) => name.includes('.ECS'))).toHaveLength(5);
    for (const name of PREDEFINED_NAMES)
      expect(planSteps(shapeOf(name)).at(-1)).toEqual({ weight: 100, bakeMs: 0 });
  });

  it('appends the promotion step to custom steps that stop short of 100%', () => {
    expect(planSteps({ kind: 'custom', steps: [{ weight: 5, bakeMs: MINUTE }] })).toEqual([
      { weight: 5, bakeMs: MINUTE },
      { weight: 100, bakeMs: 0 },
    ]);
  });

  it('prints a readable plan and names shapes the way errors and reports do', () => {
    expect(formatPlan(planSteps(shapeOf('CodeDeployDefault.ECSCanary10Percent5Minutes')))).toEqual([
      'step 1/2: 10% on the new version, bake 5m',
      'step 2/2: 100% on the new version, promote',
    ]);
    expect(describeShape({ kind: 'canary', weight: 10, bakeMs: 5 * MINUTE })).toBe(
      'canary 10% for 5m, then 100%',
    );
    expect(describeShape({ kind: 'linear', weight: 20, bakeMs: 90_000 })).toBe('linear 20% every 1m30s');
  });
});
