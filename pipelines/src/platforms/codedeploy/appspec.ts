import { createHash } from 'node:crypto';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';

/**
 * CodeDeploy AppSpec files for the two compute platforms Tollgate releases through CodeDeploy, sent as
 * `AppSpecContent` (JSON) with its SHA-256, as CreateDeployment documents it.
 */

export interface LambdaAppSpec {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
}

export interface EcsAppSpec {
  taskDefinitionArn: string;
  containerName: string;
  containerPort: number;
}

export function lambdaAppSpec(spec: LambdaAppSpec): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        [spec.functionName]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: spec.functionName,
            Alias: spec.alias,
            CurrentVersion: spec.currentVersion,
            TargetVersion: spec.targetVersion,
          },
        },
      },
    ],
  });
}

export function ecsAppSpec(spec: EcsAppSpec): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: spec.taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: spec.containerName, ContainerPort: spec.containerPort },
          },
        },
      },
    ],
  });
}

export function appSpecRevision(content: string): RevisionLocation {
  const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
  return { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } };
}
