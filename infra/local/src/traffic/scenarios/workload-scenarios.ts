import { authScenario } from './auth';
import { checkoutScenario } from './checkout';
import { orderProcessingScenario } from './order-processing';
import { paymentsScenario } from './payments';
import { productSearchScenario } from './product-search';
import { recommendationsScenario } from './recommendations';
import type { Scenario, ScenarioOptions } from './scenario';

const SCENARIOS: Record<string, (options: ScenarioOptions) => Scenario> = {
  auth: authScenario,
  checkout: checkoutScenario,
  'order-processing': orderProcessingScenario,
  payments: paymentsScenario,
  'product-search': productSearchScenario,
  recommendations: recommendationsScenario,
};

export const TRAFFIC_WORKLOADS = Object.keys(SCENARIOS);

export function scenarioFor(workload: string, options: ScenarioOptions): Scenario {
  const create = SCENARIOS[workload];
  if (!create) {
    throw new Error(
      `no traffic scenario for "${workload}"; workloads with traffic: ${TRAFFIC_WORKLOADS.join(', ')}`,
    );
  }
  return create(options);
}
