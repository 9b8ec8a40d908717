import { apiModel } from '@tollgate/aws-api-model/api-model';

export const ECS_SDK = '@aws-sdk/client-ecs';
export const CODEDEPLOY_SDK = '@aws-sdk/client-codedeploy';

/**
 * Values ECS sends that its SDK's enums do not list yet. ServiceDeployment.lifecycleStage: the ECS API
 * reference, and the doc comment on that very field in @aws-sdk/client-ecs 3.1164.0, list
 * PRE_PRODUCTION_TRAFFIC_SHIFT ("Occurs before production traffic shift. For linear and canary
 * deployments, this stage is invoked before every traffic shift step."); the field's enum
 * (ServiceDeploymentLifecycleStage) lacks it. Nothing else is let through.
 */
const DOCUMENTED_NOT_IN_SDK = [/\.lifecycleStage: "PRE_PRODUCTION_TRAFFIC_SHIFT" is not one of /];

/** `modelled` for ECS responses: checked against the SDK's model, except the values listed above. */
export function ecsModelled<T>(operation: string, response: T): T {
  const problems = apiModel(ECS_SDK)
    .outputProblems(operation, response)
    .filter((problem) => !DOCUMENTED_NOT_IN_SDK.some((allowed) => allowed.test(problem)));
  if (problems.length > 0)
    throw new Error(`a mocked ${operation} response ECS could not send:\n${problems.join('\n')}`);
  return response;
}
