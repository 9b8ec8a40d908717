import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEPLOY_ROLE_WORKLOADS } from '../src/app';
import { type EnvironmentName, environmentConfig, repositoryFromContext } from '../src/config';
import { DeployAccessStack, type DeployAccessStackProps } from '../src/stacks/deploy-access-stack';

/** Only the DeployAccess stack of one environment, with the workloads the app gives it (milliseconds, not a full synth). */
function deployAccessTemplate(
  env: EnvironmentName,
  repository?: string,
  workloads: DeployAccessStackProps['workloads'] = DEPLOY_ROLE_WORKLOADS,
): Template {
  const app = new App({ context: repository ? { 'securecart:repository': repository } : {} });
  const config = environmentConfig(app.node, env);
  const stack = new DeployAccessStack(app, 'RoleOnly', {
    env: { account: config.account, region: config.region },
    config,
    repository: repositoryFromContext(app.node),
    createOidcProvider: true,
    workloads,
  });
  return Template.fromStack(stack);
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

describe('GitHub OIDC deploy roles', () => {
  it.each([
    [
      'staging',
      ['repo:securecart/securecart:ref:refs/heads/main', 'repo:securecart/securecart:environment:staging'],
    ],
    ['production', ['repo:securecart/securecart:environment:production']],
  ] as const)(
    '%s: trust limited to the repository, its main branch / environment, audience sts',
    (env, subjects) => {
      const t = deployAccessTemplate(env);
      t.hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `securecart-${env}-github-deploy`,
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRoleWithWebIdentity',
              Effect: 'Allow',
              Principal: { Federated: { Ref: Match.stringLikeRegexp('GithubDeployProvider') } },
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': [...subjects],
                },
              },
            },
          ],
        },
      });
    },
  );

  it('the repository comes from context', () => {
    const other = JSON.stringify(
      deployAccessTemplate('production', 'acme/shop', {
        lambdaFunctions: ['payments'],
        ecsServices: [],
        codeDeployEcsServices: [],
        stateMachines: [],
        appRunnerServices: [],
      }).toJSON(),
    );
    expect(other).toContain('repo:acme/shop:environment:production');
  });

  it('deploy permissions are scoped to SecureCart resources; wildcards only where AWS allows nothing narrower', () => {
    const policies = deployAccessTemplate('production').findResources('AWS::IAM::ManagedPolicy') as Resources;
    type Statement = { Sid: string; Action: string | string[]; Resource: unknown };
    const statements = Object.values(policies).flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );
    const actions = statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions.some((a) => a.endsWith('*'))).toBe(false);
    expect(actions).not.toContain('iam:CreateRole');
    for (const required of [
      'lambda:UpdateAlias',
      'codedeploy:CreateDeployment',
      'codedeploy:StopDeployment',
      'ecs:UpdateService',
      'apprunner:StartDeployment',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:GetMetricData',
      'xray:GetTraceSummaries',
      'xray:BatchGetTraces',
      'eks:DescribeCluster',
    ]) {
      expect(actions).toContain(required);
    }
    const unscoped = statements.filter((st) => JSON.stringify(st.Resource) === '"*"').map((st) => st.Sid);
    expect(unscoped.sort()).toEqual(['EcsTaskDefinitionsRead', 'MetricsAndTracesRead']);
  });
});
