/** Malformed policies, each with a problem the loader must report and exactly where. */
export interface MalformedCase {
  name: string;
  yaml: string;
  /** "line:column field: message" of the issue this case is about. */
  expected: string;
}

const header = 'workload: checkout\nplatform: ecs\nenvironments:\n';
const prod = (body: string) => `${header}  production:\n${body}`;
const gated = (gates: string) =>
  prod(`    strategy: CodeDeployDefault.ECSCanary10Percent5Minutes\n    gates:\n${gates}`);
const steps = (list: string) => prod(`    strategy:\n      steps:\n${list}    gates:\n      alarms: [a]\n`);

export const MALFORMED: MalformedCase[] = [
  { name: 'empty file', yaml: '', expected: '1:1 : the policy is empty' },
  { name: 'only a comment', yaml: '# nothing here\n', expected: '1:1 : the policy is empty' },
  {
    name: 'YAML syntax error',
    yaml: `${header}  production: [unclosed\n`,
    expected:
      '5:1 : YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  },
  {
    name: 'top level is a list',
    yaml: '- workload: checkout\n',
    expected: '1:1 : expected object, got a list',
  },
  { name: 'missing workload', yaml: 'platform: ecs\nenvironments: {}\n', expected: '1:1 workload: required' },
  {
    name: 'workload with capitals',
    yaml: 'workload: CheckOut\nplatform: ecs\nenvironments:\n  staging:\n    strategy: CodeDeployDefault.ECSAllAtOnce\n',
    expected: '1:11 workload: workload must be lower-case letters, digits and dashes',
  },
  {
    name: 'unknown platform',
    yaml: 'workload: checkout\nplatform: lightsail\nenvironments:\n  staging:\n    strategy: CodeDeployDefault.ECSAllAtOnce\n',
    expected: '2:11 platform: expected one of "lambda", "ecs", "eks", "apprunner"',
  },
  {
    name: 'unknown top-level key',
    yaml: `${header}  staging:\n    strategy: CodeDeployDefault.ECSAllAtOnce\nowner: team-a\n`,
    expected: '6:1 owner: unknown field "owner"; allowed here: workload, platform, environments',
  },
  {
    name: 'environments is a list',
    yaml: 'workload: checkout\nplatform: ecs\nenvironments: [staging]\n',
    expected: '3:15 environments: expected record, got a list',
  },
  {
    name: 'no environments',
    yaml: `${header.trimEnd()} {}\n`,
    expected: '3:15 environments: environments must name at least one environment',
  },
  {
    name: 'duplicate environment',
    yaml: `${header}  staging:\n    strategy: CodeDeployDefault.ECSAllAtOnce\n  staging:\n    strategy: CodeDeployDefault.ECSAllAtOnce\n`,
    expected: '6:3 : duplicate key: each key (and each environment) may appear only once',
  },
  {
    name: 'unknown key in an environment',
    yaml: prod('    strategy: CodeDeployDefault.ECSAllAtOnce\n    gate:\n      alarms: [a]\n'),
    expected: '6:5 environments.production.gate: unknown field "gate"; allowed here: strategy, gates',
  },
  {
    name: 'missing strategy',
    yaml: prod('    gates:\n      alarms: [a]\n'),
    expected: '5:5 environments.production.strategy: required',
  },
  {
    name: 'unknown strategy name',
    yaml: gated('      alarms: [a]\n').replace('ECSCanary10Percent5Minutes', 'ECSCanary10Percent7Minutes'),
    expected:
      '5:15 environments.production.strategy: "CodeDeployDefault.ECSCanary10Percent7Minutes" is not a CodeDeploy predefined configuration; allowed for ecs: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, or custom steps',
  },
  {
    name: 'Lambda strategy on ECS',
    yaml: gated('      alarms: [a]\n').replace('ECSCanary10Percent5Minutes', 'LambdaCanary10Percent5Minutes'),
    expected:
      '5:15 environments.production.strategy: "CodeDeployDefault.LambdaCanary10Percent5Minutes" is not for ecs; allowed for ecs: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, or custom steps',
  },
  {
    name: 'strategy is a number',
    yaml: prod('    strategy: 10\n    gates:\n      alarms: [a]\n'),
    expected:
      '5:15 environments.production.strategy: expected a CodeDeploy predefined configuration name or { steps: [...] }',
  },
  {
    name: 'empty steps',
    yaml: prod('    strategy:\n      steps: []\n    gates:\n      alarms: [a]\n'),
    expected: '6:14 environments.production.strategy.steps: steps must list at least one step',
  },
  {
    name: 'weights not increasing',
    yaml: steps('        - { weight: 20, bake: 5m }\n        - { weight: 10, bake: 5m }\n'),
    expected: '8:21 environments.production.strategy.steps[1].weight: weights must increase: 10 follows 20',
  },
  {
    name: 'weight over 100',
    yaml: steps('        - { weight: 10, bake: 5m }\n        - { weight: 120 }\n'),
    expected: '8:21 environments.production.strategy.steps[1].weight: weight cannot be over 100',
  },
  {
    name: 'weight zero',
    yaml: steps('        - { weight: 0, bake: 5m }\n'),
    expected: '7:21 environments.production.strategy.steps[0].weight: weight must be at least 1',
  },
  {
    name: 'fractional weight',
    yaml: steps('        - { weight: 12.5, bake: 5m }\n'),
    expected:
      '7:21 environments.production.strategy.steps[0].weight: expected a whole percentage from 1 to 100, got number 12.5',
  },
  {
    name: 'negative bake',
    yaml: steps('        - { weight: 10, bake: -5m }\n'),
    expected: '7:31 environments.production.strategy.steps[0].bake: cannot be negative, got "-5m"',
  },
  {
    name: 'bake without a unit',
    yaml: steps('        - { weight: 10, bake: 300 }\n'),
    expected:
      '7:31 environments.production.strategy.steps[0].bake: expected a duration like "30s", "5m" or "1h30m", got number 300',
  },
  {
    name: 'canary step without a bake',
    yaml: steps('        - { weight: 10 }\n'),
    expected:
      '7:11 environments.production.strategy.steps[0].bake: the 10% step needs a bake so its gates can judge it',
  },
  {
    name: 'baking at 100%',
    yaml: steps('        - { weight: 10, bake: 5m }\n        - { weight: 100, bake: 5m }\n'),
    expected:
      '8:32 environments.production.strategy.steps[1].bake: the 100% step cannot bake: there is no baseline left to compare',
  },
  {
    name: 'unknown key in a step',
    yaml: steps('        - { weight: 10, bake: 5m, pause: true }\n'),
    expected:
      '7:35 environments.production.strategy.steps[0].pause: unknown field "pause"; allowed here: weight, bake',
  },
  {
    name: 'missing gates for production',
    yaml: prod('    strategy: CodeDeployDefault.ECSCanary10Percent5Minutes\n'),
    expected:
      '5:5 environments.production.gates: production releases must be gated: add alarms, latency or errors',
  },
  {
    name: 'gates that check nothing',
    yaml: gated('      minSamples: 10\n'),
    expected: '7:7 environments.production.gates: gates must check something: add alarms, latency or errors',
  },
  {
    name: 'alarms is a string',
    yaml: gated('      alarms: checkout-5xx\n'),
    expected: '7:15 environments.production.gates.alarms: expected array, got string "checkout-5xx"',
  },
  {
    name: 'percentage without a percent sign',
    yaml: gated('      latency: { p99Increase: 20 }\n'),
    expected:
      '7:31 environments.production.gates.latency.p99Increase: expected a percentage like "10%", got number 20',
  },
  {
    name: 'latency with no percentile',
    yaml: gated('      latency: {}\n'),
    expected: '7:16 environments.production.gates.latency: latency needs p50Increase, p99Increase or both',
  },
  {
    name: 'minSamples as text',
    yaml: gated('      alarms: [a]\n      minSamples: many\n'),
    expected:
      '8:19 environments.production.gates.minSamples: expected a whole number of samples, got string "many"',
  },
  {
    name: 'unknown onInconclusive',
    yaml: gated('      alarms: [a]\n      onInconclusive: promote\n'),
    expected: '8:23 environments.production.gates.onInconclusive: expected one of "rollback", "hold"',
  },
  {
    name: 'misspelt gate key',
    yaml: gated('      alarms: [a]\n      pollIntervall: 30s\n'),
    expected:
      '8:7 environments.production.gates.pollIntervall: unknown field "pollIntervall"; allowed here: alarms, alarmInsufficientData, latency, errors, minSamples, pollInterval, maxBake, onInconclusive, maxConsecutiveErrors',
  },
  {
    name: 'zero poll interval',
    yaml: gated('      alarms: [a]\n      pollInterval: 0s\n'),
    expected: '8:21 environments.production.gates.pollInterval: pollInterval must be above 0s',
  },
  {
    name: 'maxBake shorter than a bake',
    yaml: gated('      alarms: [a]\n      maxBake: 2m\n'),
    expected: "8:16 environments.production.gates.maxBake: maxBake (2m) is shorter than a step's bake (5m)",
  },
];
