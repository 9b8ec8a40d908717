import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { APP, BOOTSTRAP_RELEASE } from '../naming';

/** `securecart/<env>/<workload>`: one repository per container workload and environment. */
export function imageRepositoryName(env: EnvironmentConfig, workload: string): string {
  return `${APP}/${env.name}/${workload}`;
}

export function imageRepositoryArn(scope: Construct, env: EnvironmentConfig, workload: string): string {
  return `arn:${Stack.of(scope).partition}:ecr:${env.region}:${env.account}:repository/${imageRepositoryName(env, workload)}`;
}

/** The literal repository URI (the release manifest's `imageRepository`; images are `<uri>:<release>`). */
export function imageRepositoryUri(env: EnvironmentConfig, workload: string): string {
  return `${env.account}.dkr.ecr.${env.region}.amazonaws.com/${imageRepositoryName(env, workload)}`;
}

/** How many release images a repository keeps (besides `bootstrap`), newest first. */
const RELEASE_IMAGES_KEPT = 100;

/**
 * Lifecycle rules, in priority order. ECR never lets a lower-priority rule expire an image a higher one
 * matched, so rule 1 keeps the bootstrap image (what a fresh service starts from) out of rule 3's count.
 */
const IMAGE_LIFECYCLE_RULES: readonly ecr.LifecycleRule[] = [
  {
    rulePriority: 1,
    description: `keep the ${BOOTSTRAP_RELEASE} image`,
    tagStatus: ecr.TagStatus.TAGGED,
    tagPatternList: [BOOTSTRAP_RELEASE],
    maxImageCount: 1,
  },
  {
    rulePriority: 2,
    description: 'expire untagged images (failed or superseded pushes) after 7 days',
    tagStatus: ecr.TagStatus.UNTAGGED,
    maxImageAge: Duration.days(7),
  },
  {
    rulePriority: 3,
    description: `keep the ${RELEASE_IMAGES_KEPT} most recent release images`,
    tagStatus: ecr.TagStatus.ANY,
    maxImageCount: RELEASE_IMAGES_KEPT,
  },
];

/** A private repository with immutable tags and scan on push; kept when the stack is deleted. */
export function createImageRepository(
  scope: Construct,
  id: string,
  env: EnvironmentConfig,
  workload: string,
): ecr.Repository {
  return new ecr.Repository(scope, id, {
    repositoryName: imageRepositoryName(env, workload),
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.AES_256,
    lifecycleRules: [...IMAGE_LIFECYCLE_RULES],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
