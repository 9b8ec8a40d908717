export interface OrderProcessingConfig {
  stateMachineArn: string;
  eventBusName: string;
}

/** Reads and checks the environment once; a missing variable is a deployment error, reported by name. */
export function loadConfig(env: NodeJS.ProcessEnv): OrderProcessingConfig {
  const stateMachineArn = env.FULFILLMENT_STATE_MACHINE_ARN?.trim();
  const eventBusName = env.EVENT_BUS_NAME?.trim();
  const missing = [
    stateMachineArn ? undefined : 'FULFILLMENT_STATE_MACHINE_ARN',
    eventBusName ? undefined : 'EVENT_BUS_NAME',
  ].filter((name) => name !== undefined);
  if (!stateMachineArn || !eventBusName) {
    throw new Error(
      `order-processing is misconfigured: missing environment variable(s) ${missing.join(', ')}`,
    );
  }
  return { stateMachineArn, eventBusName };
}
