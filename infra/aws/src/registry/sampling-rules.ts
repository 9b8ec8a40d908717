import * as xray from 'aws-cdk-lib/aws-xray';
import type { Construct } from 'constructs';
import type { EnvironmentConfig, EnvironmentName } from '../config';
import { shortName } from '../naming';

/**
 * How much each gated service is traced, per environment. The judge benchmark (pipelines/src/judge/README.md)
 * shows that at low traffic the canary's sample count, i.e. sampling, is what delays a verdict: with X-Ray's
 * default (1 request/s then 5%) a 10 req/s service at 10% canary gives the canary ~1 trace/s. The reservoir
 * below records every request up to `reservoirPerSecond` per service (shared by canary and baseline), then
 * `fixedRate` of the rest.
 *
 * Cost (X-Ray: $5.00 per million traces recorded, first 100,000 a month free; $0.50 per million retrieved or
 * scanned): a service at r req/s records min(r, reservoir) + fixedRate·max(0, r − reservoir) traces/s, i.e.
 * 2.59 M traces a month per recorded trace/s, $12.96 a month per trace/s. Production at 50 req/s: 20 + 0.1·30 =
 * 23 traces/s ≈ $298/month per service; staging at 2 req/s: 2 traces/s ≈ $26/month per service.
 */
const SAMPLING: Record<EnvironmentName, { reservoirPerSecond: number; fixedRate: number }> = {
  staging: { reservoirPerSecond: 10, fixedRate: 1 },
  production: { reservoirPerSecond: 20, fixedRate: 0.1 },
};

/** Below X-Ray's default rule (10000) and any broader rule an operator adds at 1000+. */
const SAMPLING_RULE_PRIORITY = 100;

/** One rule per gated service, matched on the X-Ray service name its traces carry. */
export function createSamplingRules(
  scope: Construct,
  env: EnvironmentConfig,
  services: readonly { workload: string; xrayServiceName: string }[],
): xray.CfnSamplingRule[] {
  const { reservoirPerSecond, fixedRate } = SAMPLING[env.name];
  return services.map(
    ({ workload, xrayServiceName }) =>
      new xray.CfnSamplingRule(scope, `${workload}Sampling`, {
        samplingRule: {
          ruleName: shortName(env, workload, 'trace'),
          priority: SAMPLING_RULE_PRIORITY,
          reservoirSize: reservoirPerSecond,
          fixedRate,
          serviceName: xrayServiceName,
          serviceType: '*',
          host: '*',
          httpMethod: '*',
          urlPath: '*',
          resourceArn: '*',
          version: 1,
        },
      }),
  );
}
