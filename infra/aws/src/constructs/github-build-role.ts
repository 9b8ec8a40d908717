import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { buildRolePermissions } from '../access/build-role-permissions';
import { APP } from '../naming';
import { type GithubRoleProps, githubRole } from './github-deploy-role';

function buildRoleName(envName: string): string {
  return `${APP}-${envName}-github-build`;
}

/** The environment's build role: push workload images to their ECR repositories (access/build-role-permissions.ts). */
export class GithubBuildRole extends Construct {
  readonly role: iam.Role;

  constructor(
    scope: Construct,
    id: string,
    props: GithubRoleProps & { readonly containerWorkloads: readonly string[] },
  ) {
    super(scope, id);
    this.role = githubRole(
      this,
      props,
      {
        name: buildRoleName(props.env.name),
        description: `Image pushes for SecureCart ${props.env.name} from ${props.trust.repository}`,
      },
      buildRolePermissions(props.env, Stack.of(this).partition, props.containerWorkloads),
      'ecr:GetAuthorizationToken (docker login) has no resource-level permissions; every push action is on the ' +
        'exact workload repositories.',
    );
  }
}
