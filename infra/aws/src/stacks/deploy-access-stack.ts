import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { GithubDeployRole, type GithubDeployRoleProps } from '../constructs/github-deploy-role';

export interface DeployAccessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly repository: string;
  readonly workloads: Omit<GithubDeployRoleProps, 'env' | 'repository' | 'createOidcProvider'>;
  readonly createOidcProvider: boolean;
}

/** GitHub Actions OIDC provider and the environment's Tollgate deploy role. */
export class DeployAccessStack extends Stack {
  readonly deployRole: GithubDeployRole;

  constructor(scope: Construct, id: string, props: DeployAccessStackProps) {
    super(scope, id, props);
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', {
      env: props.config,
      repository: props.repository,
      createOidcProvider: props.createOidcProvider,
      ...props.workloads,
    });
  }
}
