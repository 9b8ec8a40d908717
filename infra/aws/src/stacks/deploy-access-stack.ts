import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployRoleWorkloads } from '../access/deploy-role-permissions';
import { type GithubTrust, githubOidcProvider } from '../access/github-oidc';
import type { EnvironmentConfig } from '../config';
import { GithubBuildRole } from '../constructs/github-build-role';
import { GithubDeployRole } from '../constructs/github-deploy-role';

export interface DeployAccessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly trust: GithubTrust;
  readonly workloads: DeployRoleWorkloads;
  /** The container workloads whose images the build role may push. */
  readonly containerWorkloads: readonly string[];
  readonly createOidcProvider: boolean;
}

/** GitHub Actions OIDC provider, the environment's Tollgate deploy role and its image build role. */
export class DeployAccessStack extends Stack {
  readonly deployRole: GithubDeployRole;
  readonly buildRole: GithubBuildRole;

  constructor(scope: Construct, id: string, props: DeployAccessStackProps) {
    super(scope, id, props);
    const provider = githubOidcProvider(this, props.config, props.createOidcProvider);
    const common = { env: props.config, trust: props.trust, provider };
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', { ...common, workloads: props.workloads });
    this.buildRole = new GithubBuildRole(this, 'GithubBuild', {
      ...common,
      containerWorkloads: props.containerWorkloads,
    });
  }
}
