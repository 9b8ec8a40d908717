import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** Which GitHub jobs may assume an environment's roles. */
export interface GithubTrust {
  /** `OWNER/REPO`. */
  readonly repository: string;
  /**
   * Pin the workflow too: `<path>@<ref>` of the one workflow file allowed, e.g.
   * `.github/workflows/release.yml@refs/heads/main`. Needs the repository's OIDC subject template to include
   * `job_workflow_ref` (see infra/aws/README.md, "GitHub settings the roles rely on").
   */
  readonly workflow?: string;
}

/**
 * The one `sub` claim allowed: a job bound to the GitHub environment of the same name, so its protection rules
 * (required reviewers, allowed branches) apply to every job that can assume the role. A plain job on a branch
 * (sub `repo:…:ref:…`) or a pull request can never match.
 */
export function allowedSubjects(env: EnvironmentConfig, trust: GithubTrust): string[] {
  const base = `repo:${trust.repository}:environment:${env.name}`;
  return [trust.workflow ? `${base}:job_workflow_ref:${trust.repository}/${trust.workflow}` : base];
}

/** The account's GitHub OIDC provider: created here, or the existing one imported (one per account). */
export function githubOidcProvider(
  scope: Construct,
  env: EnvironmentConfig,
  create: boolean,
): iam.IOidcProvider {
  if (!create) {
    return iam.OidcProviderNative.fromOidcProviderArn(
      scope,
      'Provider',
      `arn:${Stack.of(scope).partition}:iam::${env.account}:oidc-provider/${GITHUB_OIDC_HOST}`,
    );
  }
  return new iam.OidcProviderNative(scope, 'Provider', {
    url: `https://${GITHUB_OIDC_HOST}`,
    clientIds: [GITHUB_OIDC_AUDIENCE],
  });
}

/** Web identity trust: audience sts, and exactly the allowed subjects (StringEquals, no wildcards). */
export function githubPrincipal(provider: iam.IOidcProvider, subjects: readonly string[]): iam.IPrincipal {
  return new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
    StringEquals: {
      [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
      [`${GITHUB_OIDC_HOST}:sub`]: [...subjects],
    },
  });
}
