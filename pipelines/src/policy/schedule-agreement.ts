import { describeShape } from '../plan/plan';
import { PREDEFINED_CONFIGS } from '../plan/predefined';
import { type Strategy, sameShape } from '../plan/shape';
import type { Capabilities } from '../targets/capabilities';
import type { Problem } from './schema-checks';

/**
 * Where the platform's own configuration fixes the schedule (a CodeDeploy group's configuration, the
 * canary weight of an ECS service), the policy must agree with it: a release that silently runs another
 * schedule than the one the infrastructure declares surprises whoever reads either.
 */
export function configuredScheduleProblems(strategy: Strategy, capabilities: Capabilities): Problem[] {
  const configured = capabilities.configured;
  if (!configured) return [];
  const asked = strategy.codeDeployConfig ?? describeShape(strategy.shape);
  const disagree = (runs: string): Problem[] => [
    {
      path: ['strategy'],
      message: `${configured.where} runs ${runs}, but this policy asks for ${asked}; change one so they agree`,
    },
  ];
  if (configured.codeDeployConfig) {
    const config = configured.codeDeployConfig;
    if (strategy.codeDeployConfig) return strategy.codeDeployConfig === config ? [] : disagree(config);
    const known = PREDEFINED_CONFIGS[config];
    if (!known)
      return disagree(`the custom configuration ${config}, whose shape the manifest does not state`);
    return sameShape(known.shape, strategy.shape)
      ? []
      : disagree(`${config} (${describeShape(known.shape)})`);
  }
  if (configured.canaryWeight !== undefined) {
    const { shape } = strategy;
    const matches = shape.kind === 'canary' && shape.weight === configured.canaryWeight;
    return matches ? [] : disagree(`a ${configured.canaryWeight}% canary`);
  }
  return [];
}
