import type { DeploymentTarget } from '@aws-sdk/client-codedeploy';
import type { OperationContext, OperationHandler } from '../service';
import type { DeploymentRecord } from './codedeploy-store';
import { DeploymentFailure, type TrafficDriver } from './traffic-driver';

/** The Lambda service's handlers CodeDeploy calls (LC-LAMBDA's `definition.operations`). */
export type LambdaOperations = Record<string, OperationHandler>;

export interface LambdaSpec {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  region: string;
  account: string;
}

/**
 * Shifts a Lambda alias the way CodeDeploy does: the alias keeps pointing at CurrentVersion with
 * TargetVersion as an additional version weighted by the schedule, then points at TargetVersion alone.
 */
export function lambdaDriver(
  lambda: LambdaOperations,
  context: OperationContext,
  spec: LambdaSpec,
): TrafficDriver {
  const call = async (operation: string, input: Record<string, unknown>) => {
    const handler = lambda[operation];
    if (!handler) throw new Error(`the Lambda service does not serve ${operation}`);
    return (await handler(input, context)) as { FunctionVersion?: string };
  };
  const route = (version: string, weights: Record<string, number>) =>
    call('UpdateAlias', {
      FunctionName: spec.functionName,
      Name: spec.alias,
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: weights },
    });
  const functionArn = `arn:aws:lambda:${spec.region}:${spec.account}:function:${spec.functionName}`;
  return {
    eventNames: ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'],
    targetId: `${spec.functionName}:${spec.alias}`,
    async install() {
      const alias = await call('GetAlias', { FunctionName: spec.functionName, Name: spec.alias }).catch(
        (error) => {
          throw new DeploymentFailure(
            'INVALID_LAMBDA_FUNCTION',
            `Cannot read alias ${spec.alias} of ${spec.functionName}: ${String(error)}`,
          );
        },
      );
      if (alias.FunctionVersion !== spec.currentVersion) {
        throw new DeploymentFailure(
          'INVALID_LAMBDA_CONFIGURATION',
          `The alias ${spec.alias} points at version ${alias.FunctionVersion}, not the CurrentVersion ${spec.currentVersion} of the AppSpec.`,
        );
      }
    },
    async shift(percent) {
      if (percent >= 100) return;
      await route(spec.currentVersion, { [spec.targetVersion]: Math.round(percent * 100) / 10_000 });
    },
    async complete() {
      await route(spec.targetVersion, {});
    },
    async cleanUp() {},
    async restore() {
      await route(spec.currentVersion, {});
    },
    target(deployment: DeploymentRecord): DeploymentTarget {
      return {
        deploymentTargetType: 'LambdaTarget',
        lambdaTarget: {
          deploymentId: deployment.id,
          targetId: `${spec.functionName}:${spec.alias}`,
          targetArn: `${functionArn}:${spec.alias}`,
          status: targetStatus(deployment),
          lastUpdatedAt: new Date(deployment.completeTime ?? deployment.startTime ?? deployment.createTime),
          lifecycleEvents: structuredClone(deployment.events),
          lambdaFunctionInfo: {
            functionName: spec.functionName,
            functionAlias: spec.alias,
            currentVersion: spec.currentVersion,
            targetVersion: spec.targetVersion,
            targetVersionWeight: deployment.weight / 100,
          },
        },
      };
    },
  };
}

/** A target's status from its deployment's. */
export function targetStatus(deployment: DeploymentRecord) {
  switch (deployment.status) {
    case 'Succeeded':
      return 'Succeeded' as const;
    case 'Failed':
    case 'Stopped':
      return 'Failed' as const;
    case 'Created':
    case 'Queued':
      return 'Pending' as const;
    default:
      return 'InProgress' as const;
  }
}
