import { type Capabilities, type ReleaseMethodId, releaseMethods } from '../../src/targets/capabilities';
import { type LambdaTarget, lambdaTargetSchema } from '../../src/targets/manifest';

/** A Lambda function behind an alias with a CodeDeploy group, parsed so it stays a valid target. */
export const LAMBDA_TARGET: LambdaTarget = lambdaTargetSchema.parse({
  platform: 'lambda',
  environment: 'production',
  account: '123456789012',
  region: 'eu-west-1',
  stack: 'SecureCart-Production-Checkout',
  alarms: ['securecart-production-checkout-5xx'],
  xrayServiceName: 'checkout',
  logGroup: '/aws/lambda/securecart-production-checkout',
  functionName: 'securecart-production-checkout',
  alias: 'live',
  codeDeploy: {
    application: 'securecart-production-checkout',
    deploymentGroup: 'securecart-production-checkout-live',
    deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  },
});

/** One of the target's release methods: 'lambda-alias' (engine-driven) or 'lambda-codedeploy'. */
export function lambdaMethod(method: ReleaseMethodId): Capabilities {
  const capabilities = releaseMethods(LAMBDA_TARGET).find((candidate) => candidate.method === method);
  if (!capabilities) throw new Error(`a Lambda target has no release method ${method}`);
  return capabilities;
}
