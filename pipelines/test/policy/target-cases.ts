import type { MalformedCase } from './malformed-cases';

const policy = (workload: string, platform: string, body: string) =>
  `workload: ${workload}\nplatform: ${platform}\nenvironments:\n  production:\n${body}`;
const gates = (workload: string) => `    gates:\n      alarms: [shop-production-${workload}-5xx]\n`;

/** Policies that are well formed but ask their target for what its release method cannot do. */
export const AGAINST_TARGETS: MalformedCase[] = [
  {
    name: 'a workload the manifest does not have',
    yaml: policy('billing', 'lambda', `    strategy: all-at-once\n${gates('billing')}`),
    expected:
      '1:11 workload: "billing" is not in the release manifest (known: orders, checkout, auth, search, recommendations, fulfillment)',
  },
  {
    name: 'a platform other than the manifest says',
    yaml: policy('orders', 'ecs', `    strategy: all-at-once\n${gates('orders')}`),
    expected: '2:11 platform: the release manifest runs orders on lambda, not ecs',
  },
  {
    name: 'an environment the manifest does not have',
    yaml: policy('orders', 'lambda', `    strategy: all-at-once\n${gates('orders')}`).replace(
      '  production:',
      '  qa:',
    ),
    expected: '5:5 environments.qa: the release manifest has no "qa" for orders (known: staging, production)',
  },
  {
    name: 'a kind Tollgate cannot release yet',
    yaml: policy('fulfillment', 'stepfunctions', `    strategy: all-at-once\n${gates('fulfillment')}`),
    expected:
      '2:11 platform: Tollgate cannot release stepfunctions targets: Step Functions alias routing is planned, not built',
  },
  {
    name: 'engine-driven traffic on a CodeDeploy blue/green service',
    yaml: policy(
      'checkout',
      'ecs',
      `    strategy: CodeDeployDefault.ECSCanary10Percent5Minutes\n    traffic: engine\n${gates('checkout')}`,
    ),
    expected:
      '6:14 environments.production.traffic: traffic: engine is not possible here; ecs in production is released by platform (CodeDeploy blue/green deployment group shop-production-checkout, shifting the load balancer on its own schedule)',
  },
  {
    name: 'custom steps on CodeDeploy',
    yaml: policy(
      'checkout',
      'ecs',
      `    strategy: { steps: [{ weight: 5, bake: 5m }] }\n${gates('checkout')}`,
    ),
    expected:
      '5:15 environments.production.strategy: custom plans are not possible with CodeDeploy blue/green deployment group shop-production-checkout, shifting the load balancer on its own schedule; possible: canary, linear, all-at-once',
  },
  {
    name: '5% steps on App Runner',
    yaml: policy(
      'search',
      'apprunner',
      `    strategy: { canary: { weight: 5, bake: 5m } }\n${gates('search')}`,
    ),
    expected:
      '5:15 environments.production.strategy: canary plans are not possible with App Runner service shop-production-search, replaced in place (App Runner cannot split traffic); possible: all-at-once',
  },
  {
    name: 'a CodeDeploy configuration for a release the engine runs',
    yaml: policy(
      'orders',
      'lambda',
      `    strategy: CodeDeployDefault.LambdaCanary10Percent5Minutes\n${gates('orders')}`,
    ),
    expected:
      '5:15 environments.production.strategy: "CodeDeployDefault.LambdaCanary10Percent5Minutes" names a CodeDeploy configuration, but Lambda alias live weights, set by Tollgate at every step does not use CodeDeploy; write the shape instead, e.g. { canary: { weight: 10, bake: 5m } }',
  },
  {
    name: 'a Lambda configuration for an ECS deployment group',
    yaml: policy(
      'checkout',
      'ecs',
      `    strategy: CodeDeployDefault.LambdaCanary10Percent5Minutes\n${gates('checkout')}`,
    ),
    expected:
      '5:15 environments.production.strategy: "CodeDeployDefault.LambdaCanary10Percent5Minutes" is not for ecs; allowed: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
  },
  {
    name: 'a configuration other than the deployment group runs',
    yaml: policy(
      'orders',
      'lambda',
      `    strategy: CodeDeployDefault.LambdaCanary10Percent15Minutes\n    traffic: platform\n${gates('orders')}`,
    ),
    expected:
      '5:15 environments.production.strategy: CodeDeploy deployment group shop-production-orders runs CodeDeployDefault.LambdaCanary10Percent5Minutes, but this policy asks for CodeDeployDefault.LambdaCanary10Percent15Minutes; change one so they agree',
  },
  {
    name: 'asking CodeDeploy to hold for approval',
    yaml: policy(
      'orders',
      'lambda',
      `    strategy: CodeDeployDefault.LambdaCanary10Percent5Minutes\n    traffic: platform\n${gates('orders')}      onInconclusive: hold\n`,
    ),
    expected:
      '9:23 environments.production.gates.onInconclusive: CodeDeploy deployment group shop-production-orders, shifting alias live on its own schedule cannot hold a step: the platform moves on by itself; use rollback (or an engine-driven method, traffic: engine, where the target has one)',
  },
  {
    name: 'asking CodeDeploy to bake past its schedule',
    yaml: policy(
      'checkout',
      'ecs',
      `    strategy: CodeDeployDefault.ECSCanary10Percent5Minutes\n${gates('checkout')}      maxBake: 15m\n`,
    ),
    expected:
      '8:16 environments.production.gates.maxBake: CodeDeploy blue/green deployment group shop-production-checkout, shifting the load balancer on its own schedule cannot hold a step: the platform moves on by itself, so a step cannot bake past its planned 5m; remove maxBake',
  },
  {
    name: 'half percents where CodeDeploy shifts whole ones',
    yaml: policy(
      'orders',
      'lambda',
      `    strategy: { linear: { weight: 12.5, bake: 1m } }\n    traffic: platform\n${gates('orders')}`,
    ),
    expected:
      '5:15 environments.production.strategy: 12.5%, 37.5%, 62.5%, 87.5%: CodeDeploy deployment group shop-production-orders, shifting alias live on its own schedule moves traffic in steps of 1%',
  },
  {
    name: 'seconds where CodeDeploy bakes whole minutes',
    yaml: policy(
      'orders',
      'lambda',
      `    strategy: { canary: { weight: 10, bake: 90s } }\n    traffic: platform\n${gates('orders')}`,
    ),
    expected:
      '5:15 environments.production.strategy: bakes of 1m30s: the platform bakes whole multiples of 1m',
  },
  {
    name: 'custom steps on a native ECS canary',
    yaml: policy(
      'auth',
      'ecs',
      `    strategy: { steps: [{ weight: 5, bake: 5m }, { weight: 25, bake: 5m }] }\n${gates('auth')}`,
    ),
    expected:
      '5:15 environments.production.strategy: custom plans are not possible with ECS service shop-production-auth deployment, paused at each step until Tollgate continues it; possible: canary, linear',
  },
  {
    name: 'a canary weight the ECS service does not shift',
    yaml: policy('auth', 'ecs', `    strategy: { canary: { weight: 5, bake: 5m } }\n${gates('auth')}`),
    expected:
      '5:15 environments.production.strategy: ECS service shop-production-auth (canary 10%) runs a 10% canary, but this policy asks for canary 5% for 5m, then 100%; change one so they agree',
  },
  {
    name: 'a gating alarm the target does not have',
    yaml: policy(
      'orders',
      'lambda',
      `    strategy: all-at-once\n    gates:\n      alarms: [shop-production-orders-5xx, orders-typo]\n`,
    ),
    expected:
      '7:44 environments.production.gates.alarms[1]: "orders-typo" is not a gating alarm of this target in the release manifest (known: shop-production-orders-5xx, shop-production-orders-p99-latency)',
  },
];
