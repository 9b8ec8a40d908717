import type { EnvironmentConfig } from '../config';
import { imageRepositoryName } from '../registry/image-repositories';
import type { PermissionRow } from './permission-table';

/**
 * The build role's permissions, as ONE table: push a workload image to its ECR repository, nothing else (no
 * pull of other repositories, no delete, no repository or policy changes). Tags are immutable, so a push can
 * never replace an image a service runs.
 */
export function buildRolePermissions(
  env: EnvironmentConfig,
  partition: string,
  containerWorkloads: readonly string[],
): PermissionRow[] {
  return [
    {
      sid: 'RegistryLogin',
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
      why: 'docker login to the registry; GetAuthorizationToken has no resource-level permissions',
    },
    {
      sid: 'PushWorkloadImages',
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:BatchGetImage',
        'ecr:DescribeImages',
      ],
      resources: containerWorkloads.map(
        (w) => `arn:${partition}:ecr:${env.region}:${env.account}:repository/${imageRepositoryName(env, w)}`,
      ),
      why: 'push (layers, then the manifest) and check that the tag is there; only the workload repositories',
    },
  ];
}
