import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { actionsToGrant } from '@tollgate/pipelines/backends/aws-permissions';
import { environmentOf, loadPolicyFile } from '@tollgate/pipelines/policy/load-policy';
import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildRolePermissions } from '../src/access/build-role-permissions';
import { deployRolePermissions } from '../src/access/deploy-role-permissions';
import type { GithubTrust } from '../src/access/github-oidc';
import { buildSecureCartApp, CONTAINER_WORKLOADS, deployRoleWorkloads } from '../src/app';
import { type EnvironmentName, environmentConfig } from '../src/config';
import { RELEASE_MANIFEST_PATH } from '../src/manifest/render';
import { DeployAccessStack } from '../src/stacks/deploy-access-stack';
import { rowProblems } from './iam-reference';
import { prop } from './synth-helper';

const POLICIES = join(RELEASE_MANIFEST_PATH, '../../../pipelines/policies');

/** Only the DeployAccess stack of one environment (milliseconds, not a full synth). */
function deployAccessTemplate(
  env: EnvironmentName,
  trust: GithubTrust = { repository: 'securecart/securecart' },
) {
  const app = new App();
  const config = environmentConfig(app.node, env);
  const stack = new DeployAccessStack(app, 'RoleOnly', {
    env: { account: config.account, region: config.region },
    config,
    trust,
    createOidcProvider: true,
    workloads: deployRoleWorkloads(config),
    containerWorkloads: CONTAINER_WORKLOADS,
  });
  return Template.fromStack(stack);
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
type Statement = { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function trustOf(t: Template, roleName: string): unknown {
  const roles = t.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } }) as Resources;
  return Object.values(roles)[0]?.Properties?.AssumeRolePolicyDocument;
}

const trustDocument = (subjects: string[]) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: { Ref: Match.stringLikeRegexp('^Provider') } },
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': subjects,
        },
      },
    },
  ],
});

describe('GitHub OIDC roles', () => {
  it.each(['staging', 'production'] as const)(
    '%s: deploy and build roles trust only jobs bound to the GitHub environment of the same name',
    (env) => {
      const t = deployAccessTemplate(env);
      t.hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
      const subjects = [`repo:securecart/securecart:environment:${env}`];
      for (const role of [`securecart-${env}-github-deploy`, `securecart-${env}-github-build`]) {
        expect(Match.exact(trustDocument(subjects)).test(trustOf(t, role)).isSuccess, role).toBe(true);
      }
      // Nothing trusts a branch: a plain job on main cannot assume a role.
      expect(JSON.stringify(t.toJSON())).not.toContain(':ref:refs/heads/');
    },
  );

  it('can pin the one workflow file allowed (job_workflow_ref in the sub claim)', () => {
    const t = deployAccessTemplate('production', {
      repository: 'acme/shop',
      workflow: '.github/workflows/release.yml@refs/heads/main',
    });
    const subjects = [
      'repo:acme/shop:environment:production:job_workflow_ref:acme/shop/.github/workflows/release.yml@refs/heads/main',
    ];
    expect(
      Match.exact(trustDocument(subjects)).test(trustOf(t, 'securecart-production-github-deploy')).isSuccess,
    ).toBe(true);
  });

  it('refuses a workflow pin that is not a workflow file at a ref', () => {
    expect(() => buildSecureCartApp({ context: { 'securecart:deployWorkflow': 'release.yml' } })).toThrow(
      'context "securecart:deployWorkflow" must look like .github/workflows/<file>.yml@refs/heads/<branch>, got "release.yml"',
    );
  });

  it('each role policy is exactly its permission table (one statement per row, exact resources)', () => {
    const t = deployAccessTemplate('production');
    const policies = t.findResources('AWS::IAM::ManagedPolicy') as Resources;
    const statementsOf = (name: string) =>
      (
        prop(
          Object.values(policies).find((p) => p.Properties?.ManagedPolicyName === name),
          'PolicyDocument',
        ) as { Statement: Statement[] }
      ).Statement;
    const config = environmentConfig(new App().node, 'production');
    const partition = 'PARTITION';
    const asTemplate = (rows: { sid: string; actions: readonly string[]; resources: readonly string[] }[]) =>
      rows
        .filter((r) => r.resources.length > 0)
        .map((r) => ({ sid: r.sid, actions: [...r.actions], resources: [...r.resources] }));
    const rendered = (name: string) =>
      statementsOf(name).map((st) => ({
        sid: st.Sid,
        actions: Array.isArray(st.Action) ? st.Action : [st.Action],
        resources: (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map((r) =>
          typeof r === 'string'
            ? r
            : (r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
                .map((x) => (typeof x === 'string' ? x : partition))
                .join(''),
        ),
      }));
    expect(rendered('securecart-production-github-deploy-policy')).toEqual(
      asTemplate(deployRolePermissions(config, partition, deployRoleWorkloads(config))),
    );
    expect(rendered('securecart-production-github-build-policy')).toEqual(
      asTemplate(buildRolePermissions(config, partition, CONTAINER_WORKLOADS)),
    );
  });

  it('deploy role: no IAM or infrastructure writes, no action wildcards', () => {
    const config = environmentConfig(new App().node, 'production');
    const rows = deployRolePermissions(config, 'aws', deployRoleWorkloads(config));
    const actions = rows.flatMap((r) => r.actions);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('iam:') && a !== 'iam:PassRole')).toEqual([]);
    expect(actions.filter((a) => /^cloudformation:|:Create(Role|Stack|Cluster)|:Delete/.test(a))).toEqual([]);
  });

  it.each(['staging', 'production'] as const)(
    '%s: every row is what the Service Authorization Reference allows: real actions, their resource types, * only without one',
    async (env) => {
      const config = environmentConfig(new App().node, env);
      const rows = [
        ...deployRolePermissions(config, 'aws', deployRoleWorkloads(config)),
        ...buildRolePermissions(config, 'aws', CONTAINER_WORKLOADS),
      ].filter((row) => row.resources.length > 0);
      const problems = (await Promise.all(rows.map(rowProblems))).flat();
      expect(problems).toEqual([]);
    },
  );

  it.each(['staging', 'production'] as const)(
    "%s: the deploy role allows exactly the actions Tollgate's adapters send for the methods SecureCart's policies release by",
    async (env) => {
      const manifest = await loadManifestFile(RELEASE_MANIFEST_PATH);
      const traceSource = manifest.environments[env]?.traceSource ?? 'xray';
      const needed = new Set<string>();
      for (const file of readdirSync(POLICIES).filter((f) => f.endsWith('.yml'))) {
        const method = environmentOf(await loadPolicyFile(join(POLICIES, file), manifest), env).capabilities
          .method;
        for (const action of actionsToGrant(method, traceSource)) needed.add(action);
      }
      const config = environmentConfig(new App().node, env);
      const granted = deployRolePermissions(config, 'aws', deployRoleWorkloads(config))
        .filter((row) => row.resources.length > 0)
        .flatMap((row) => row.actions);
      expect([...new Set(granted)].sort()).toEqual([...needed].sort());
    },
  );

  it('build role: push to the workload repositories only (login is the one Resource::*)', () => {
    const config = environmentConfig(new App().node, 'staging');
    expect(buildRolePermissions(config, 'aws', ['checkout'])).toEqual([
      expect.objectContaining({
        sid: 'RegistryLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      expect.objectContaining({
        sid: 'PushWorkloadImages',
        resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/securecart/staging/checkout'],
      }),
    ]);
  });
});
