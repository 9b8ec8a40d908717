import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { BOOTSTRAP_RELEASE } from '../naming';
import { imageRepositoryArn, imageRepositoryName } from './image-repositories';

/** The workload's repository, referenced by its fixed name (the Registry stack is deployed first). */
export function workloadRepository(
  scope: Construct,
  env: EnvironmentConfig,
  workload: string,
): ecr.IRepository {
  return ecr.Repository.fromRepositoryAttributes(scope, 'ImageRepository', {
    repositoryName: imageRepositoryName(env, workload),
    repositoryArn: imageRepositoryArn(scope, env, workload),
  });
}

/**
 * `<repository>:bootstrap`, the image a service is created with: a fixed reference, so a later `cdk deploy`
 * never changes it (releases own the image). Pulling it grants the execution role pull on that one repository.
 */
export function bootstrapImage(
  scope: Construct,
  env: EnvironmentConfig,
  workload: string,
): ecs.ContainerImage {
  return ecs.ContainerImage.fromEcrRepository(workloadRepository(scope, env, workload), BOOTSTRAP_RELEASE);
}
