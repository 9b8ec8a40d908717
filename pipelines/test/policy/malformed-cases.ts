/** Malformed policies, each with a problem the loader must report and exactly where. */
export interface MalformedCase {
  name: string;
  yaml: string;
  /** "line:column field: message" of the issue this case is about. */
  expected: string;
}

// `orders` is engine-driven Lambda in the test manifest, so every shape is possible and only the
// problem a case is about is reported.
const header = 'workload: orders\nplatform: lambda\nenvironments:\n';
const prod = (body: string) => `${header}  production:\n${body}`;
const ALARM = 'shop-production-orders-5xx';
const gated = (gates: string) =>
  prod(`    strategy: { canary: { weight: 10, bake: 5m } }\n    gates:\n${gates}`);
const steps = (list: string) =>
  prod(`    strategy:\n      steps:\n${list}    gates:\n      alarms: [${ALARM}]\n`);

/** Target-independent problems: YAML, shape, types, values, timing. */
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
    name: 'an alias without its anchor',
    yaml: `${header}  production:\n    strategy: *fast\n`,
    expected: '5:15 : unknown alias *fast: its anchor &fast must come first',
  },
  {
    name: 'aliases that expand exponentially (billion laughs)',
    yaml: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
    expected:
      '1:1 : YAML aliases expand too far (Excessive alias count indicates a resource exhaustion attack); a policy needs few aliases',
  },
  {
    name: 'a YAML tag',
    yaml: `${header}  production:\n    strategy: !!js/function all-at-once\n`,
    expected: '5:15 : YAML syntax error: Unresolved tag: tag:yaml.org,2002:js/function',
  },
  {
    name: 'top level is a list',
    yaml: '- workload: orders\n',
    expected: '1:1 : expected object, got a list',
  },
  {
    name: 'missing workload',
    yaml: 'platform: lambda\nenvironments: {}\n',
    expected: '1:1 workload: required',
  },
  {
    name: 'workload with capitals',
    yaml: 'workload: Orders\nplatform: lambda\nenvironments:\n  staging:\n    strategy: all-at-once\n',
    expected: '1:11 workload: workload must be lower-case letters, digits and dashes',
  },
  {
    name: 'unknown platform',
    yaml: 'workload: orders\nplatform: lightsail\nenvironments:\n  staging:\n    strategy: all-at-once\n',
    expected:
      '2:11 platform: expected one of "lambda", "ecs", "eks", "apprunner", "stepfunctions", "ecs-ec2"',
  },
  {
    name: 'unknown top-level key',
    yaml: `${header}  staging:\n    strategy: all-at-once\nowner: team-a\n`,
    expected:
      '6:1 owner: unknown field "owner"; allowed here: workload, platform, versionFormat, environments',
  },
  {
    name: 'unknown version format',
    yaml: `${header}  staging:\n    strategy: all-at-once\nversionFormat: calver\n`,
    expected: '6:16 versionFormat: expected one of "semver", "any"',
  },
  {
    name: 'environments is a list',
    yaml: 'workload: orders\nplatform: lambda\nenvironments: [staging]\n',
    expected: '3:15 environments: expected record, got a list',
  },
  {
    name: 'no environments',
    yaml: `${header.trimEnd()} {}\n`,
    expected: '3:15 environments: environments must name at least one environment',
  },
  {
    name: 'duplicate environment',
    yaml: `${header}  staging:\n    strategy: all-at-once\n  staging:\n    strategy: all-at-once\n`,
    expected: '6:3 : duplicate key: each key (and each environment) may appear only once',
  },
  {
    name: 'unknown key in an environment',
    yaml: prod(`    strategy: all-at-once\n    gate:\n      alarms: [${ALARM}]\n`),
    expected:
      '6:5 environments.production.gate: unknown field "gate"; allowed here: strategy, traffic, gates',
  },
  {
    name: 'missing strategy',
    yaml: prod(`    gates:\n      alarms: [${ALARM}]\n`),
    expected: '5:5 environments.production.strategy: required',
  },
  {
    name: 'unknown strategy name',
    yaml: prod(
      `    strategy: CodeDeployDefault.ECSCanary10Percent7Minutes\n    gates:\n      alarms: [${ALARM}]\n`,
    ),
    expected:
      '5:15 environments.production.strategy: "CodeDeployDefault.ECSCanary10Percent7Minutes" is not a strategy: use all-at-once, a CodeDeploy predefined configuration (CodeDeployDefault.…), or { canary | linear | steps | allAtOnce }',
  },
  {
    name: 'strategy is a number',
    yaml: prod(`    strategy: 10\n    gates:\n      alarms: [${ALARM}]\n`),
    expected:
      '5:15 environments.production.strategy: expected all-at-once, a CodeDeploy configuration name, or { canary | linear | steps | allAtOnce }',
  },
  {
    name: 'two shapes at once',
    yaml: prod(
      `    strategy: { canary: { weight: 10, bake: 5m }, linear: { weight: 10, bake: 1m } }\n    gates:\n      alarms: [${ALARM}]\n`,
    ),
    expected: '5:15 environments.production.strategy: give exactly one of canary, linear, steps or allAtOnce',
  },
  {
    name: 'unknown key in a strategy',
    yaml: prod(`    strategy: { ramp: { weight: 10 } }\n    gates:\n      alarms: [${ALARM}]\n`),
    expected:
      '5:17 environments.production.strategy.ramp: unknown field "ramp"; allowed here: canary, linear, steps, allAtOnce',
  },
  {
    name: 'canary at 100%',
    yaml: prod(`    strategy: { canary: { weight: 100, bake: 5m } }\n    gates:\n      alarms: [${ALARM}]\n`),
    expected: '5:35 environments.production.strategy.canary.weight: a canary step must stay below 100%',
  },
  {
    name: 'canary without a bake',
    yaml: prod(`    strategy: { canary: { weight: 10 } }\n    gates:\n      alarms: [${ALARM}]\n`),
    expected: '5:25 environments.production.strategy.canary.bake: required',
  },
  {
    name: 'empty steps',
    yaml: prod(`    strategy:\n      steps: []\n    gates:\n      alarms: [${ALARM}]\n`),
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
    expected: '7:21 environments.production.strategy.steps[0].weight: weight must be above 0',
  },
  {
    name: 'weight with three decimals',
    yaml: steps('        - { weight: 12.125, bake: 5m }\n'),
    expected: '7:21 environments.production.strategy.steps[0].weight: weight has at most two decimals',
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
    name: 'a bake of two days',
    yaml: steps('        - { weight: 10, bake: 48h }\n'),
    expected: '6:7 environments.production.strategy: a step bakes 48h; at most 24h per step',
  },
  {
    name: 'unknown key in a step',
    yaml: steps('        - { weight: 10, bake: 5m, pause: true }\n'),
    expected:
      '7:35 environments.production.strategy.steps[0].pause: unknown field "pause"; allowed here: weight, bake',
  },
  {
    name: 'unknown traffic driver',
    yaml: prod(`    strategy: all-at-once\n    traffic: codedeploy\n    gates:\n      alarms: [${ALARM}]\n`),
    expected: '6:14 environments.production.traffic: expected one of "engine", "platform"',
  },
  {
    name: 'missing gates for production',
    yaml: prod('    strategy: { canary: { weight: 10, bake: 5m } }\n'),
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
    yaml: gated('      alarms: orders-5xx\n'),
    expected: '7:15 environments.production.gates.alarms: expected array, got string "orders-5xx"',
  },
  {
    name: 'percentage without a percent sign',
    yaml: gated('      latency: { p99Increase: 20 }\n'),
    expected:
      '7:31 environments.production.gates.latency.p99Increase: expected a percentage like "10%", got number 20',
  },
  {
    name: 'a zero allowance, which rolls back any difference at all',
    yaml: gated('      errors: { maxRateIncrease: 0% }\n'),
    expected:
      '7:34 environments.production.gates.errors.maxRateIncrease: must be above 0%: with a zero allowance any difference at all, however small, rolls the canary back',
  },
  {
    name: 'a minSamples no step can collect at the expected traffic',
    yaml: gated(
      '      latency: { p50Increase: 5% }\n      minSamples: 5000\n      expectedRequestsPerSecond: 20\n',
    ),
    expected:
      "8:19 environments.production.gates.minSamples: minSamples (5,000) cannot be reached: at the expected 20 requests/s the 10% step's canary gets at most 1,200 requests in its longest bake of 10m; lower minSamples, bake longer (maxBake) or give that step more weight",
  },
  {
    name: 'the default minSamples at a trickle of traffic',
    yaml: gated('      errors: { maxRateIncrease: 1% }\n      expectedRequestsPerSecond: 0.1\n'),
    expected:
      "7:7 environments.production.gates.minSamples: minSamples (100) cannot be reached: at the expected 0.1 requests/s the 10% step's canary gets at most 6 requests in its longest bake of 10m; lower minSamples, bake longer (maxBake) or give that step more weight",
  },
  {
    name: 'no expected traffic at all',
    yaml: gated('      errors: { maxRateIncrease: 1% }\n      expectedRequestsPerSecond: 0\n'),
    expected: '8:34 environments.production.gates.expectedRequestsPerSecond: must be above 0',
  },
  {
    name: 'expected traffic as text',
    yaml: gated('      errors: { maxRateIncrease: 1% }\n      expectedRequestsPerSecond: lots\n'),
    expected:
      '8:34 environments.production.gates.expectedRequestsPerSecond: expected requests per second as a number, got string "lots"',
  },
  {
    name: 'an absurd latency allowance',
    yaml: gated('      latency: { p50Increase: 5000% }\n'),
    expected: '7:31 environments.production.gates.latency.p50Increase: cannot be over 1000%',
  },
  {
    name: 'latency with no percentile',
    yaml: gated('      latency: {}\n'),
    expected: '7:16 environments.production.gates.latency: latency needs p50Increase, p99Increase or both',
  },
  {
    name: 'minSamples as text',
    yaml: gated(`      alarms: [${ALARM}]\n      minSamples: many\n`),
    expected:
      '8:19 environments.production.gates.minSamples: expected a whole number of samples, got string "many"',
  },
  {
    name: 'absurd minSamples',
    yaml: gated(`      alarms: [${ALARM}]\n      minSamples: 50000000\n`),
    expected: '8:19 environments.production.gates.minSamples: cannot be over 1,000,000',
  },
  {
    name: 'unknown onInconclusive',
    yaml: gated(`      alarms: [${ALARM}]\n      onInconclusive: promote\n`),
    expected: '8:23 environments.production.gates.onInconclusive: expected one of "rollback", "hold"',
  },
  {
    name: 'misspelt gate key',
    yaml: gated(`      alarms: [${ALARM}]\n      pollIntervall: 30s\n`),
    expected:
      '8:7 environments.production.gates.pollIntervall: unknown field "pollIntervall"; allowed here: alarms, alarmInsufficientData, latency, errors, minSamples, expectedRequestsPerSecond, pollInterval, maxBake, onInconclusive, maxConsecutiveErrors',
  },
  {
    name: 'zero poll interval',
    yaml: gated(`      alarms: [${ALARM}]\n      pollInterval: 0s\n`),
    expected: '8:21 environments.production.gates.pollInterval: pollInterval must be at least 5s, got 0s',
  },
  {
    name: 'a poll interval of an hour',
    yaml: gated(`      alarms: [${ALARM}]\n      pollInterval: 1h\n`),
    expected:
      '8:21 environments.production.gates.pollInterval: pollInterval cannot be over 10m: a gate that polls less often cannot roll back a regression in time',
  },
  {
    name: 'a poll interval longer than its bake',
    yaml: prod(
      `    strategy: { canary: { weight: 10, bake: 1m } }\n    gates:\n      alarms: [${ALARM}]\n      pollInterval: 2m\n`,
    ),
    expected:
      '8:21 environments.production.gates.pollInterval: pollInterval (2m) is longer than the shortest bake (1m): that step would end before its first poll',
  },
  {
    name: 'maxBake shorter than a bake',
    yaml: gated(`      alarms: [${ALARM}]\n      maxBake: 2m\n`),
    expected: "8:16 environments.production.gates.maxBake: maxBake (2m) is shorter than a step's bake (5m)",
  },
  {
    name: 'maxConsecutiveErrors of a thousand',
    yaml: gated(`      alarms: [${ALARM}]\n      maxConsecutiveErrors: 1000\n`),
    expected: '8:29 environments.production.gates.maxConsecutiveErrors: cannot be over 100',
  },
];
