import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSecureCartApp } from '../src/app';
import { eksEndpointViolations, openEndpointReason } from '../src/checks/eks-endpoint';
import { environmentConfig } from '../src/config';

const tmp = mkdtempSync(join(tmpdir(), 'eks-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const withContext = (context: Record<string, unknown>) => new App({ context }).node;

describe('environment configuration', () => {
  it('production without a checkout certificate fails synth, naming the flag', () => {
    const account = withContext({ 'securecart:production:account': '333333333333' });
    expect(() => environmentConfig(account, 'production')).toThrow(
      'context "securecart:production:checkoutCertificateArn": certificate arn:aws:acm:eu-west-1:222222222222:certificate/00000000-0000-0000-0000-000000000000 is in 222222222222/eu-west-1, but production is 333333333333/eu-west-1; give a certificate of that account and region',
    );
    expect(() =>
      environmentConfig(
        withContext({ 'securecart:production:checkoutCertificateArn': 'not-an-arn' }),
        'production',
      ),
    ).toThrow(
      'context "securecart:production:checkoutCertificateArn" must be an ACM certificate ARN, got "not-an-arn"',
    );
    expect(environmentConfig(withContext({}), 'staging').checkoutCertificateArn).toBeUndefined();
  });

  it('the EKS endpoint is private unless runner CIDRs are given, and never open to the internet', () => {
    expect(environmentConfig(withContext({}), 'staging').eksPublicAccessCidrs).toEqual([]);
    expect(
      environmentConfig(
        withContext({ 'securecart:staging:eksPublicAccessCidrs': '203.0.113.0/24, 198.51.100.7/32' }),
        'staging',
      ).eksPublicAccessCidrs,
    ).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(() =>
      environmentConfig(withContext({ 'securecart:staging:eksPublicAccessCidrs': '0.0.0.0/0' }), 'staging'),
    ).toThrow(
      'context "securecart:staging:eksPublicAccessCidrs": "0.0.0.0/0" opens the EKS API endpoint to a /0; give the deploy runners\' egress ranges (at most /8), or leave it unset for a private endpoint',
    );
  });

  it('product-search placement is apprunner or fargate, nothing else', () => {
    expect(environmentConfig(withContext({}), 'production').productSearchPlatform).toBe('apprunner');
    expect(() =>
      environmentConfig(withContext({ 'securecart:productSearchPlatform': 'lambda' }), 'staging'),
    ).toThrow('context "securecart:productSearchPlatform" must be one of apprunner, fargate, got "lambda"');
  });

  it('refuses the retired securecart:releaseVersion context instead of ignoring it', () => {
    expect(() => buildSecureCartApp({ context: { 'securecart:releaseVersion': '1.2.3' } })).toThrow(
      'context "securecart:releaseVersion" is no longer read: CloudFormation creates only the bootstrap artifacts (RELEASE_VERSION=bootstrap); releases set their own version',
    );
  });
});

describe('project check: EKS endpoint (aws-eks-v2 clusters, which cdk-nag does not see)', () => {
  it('names every open cluster endpoint of a template', () => {
    const file = join(tmp, 'open.template.json');
    const cluster = (config: unknown) => ({
      Type: 'AWS::EKS::Cluster',
      Properties: { ResourcesVpcConfig: config },
    });
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Private: cluster({ EndpointPublicAccess: false }),
          Restricted: cluster({ EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] }),
          Open: cluster({ EndpointPublicAccess: true, PublicAccessCidrs: ['0.0.0.0/0'] }),
          Default: cluster({}),
        },
      }),
    );
    expect(
      eksEndpointViolations([file]).map((v) => [v.violatingResources[0]?.resourceLogicalId, v.description]),
    ).toEqual([
      ['Open', 'EKS API endpoint is reachable from the internet: public endpoint open to 0.0.0.0/0'],
      [
        'Default',
        'EKS API endpoint is reachable from the internet: public endpoint with no PublicAccessCidrs (EKS then allows 0.0.0.0/0)',
      ],
    ]);
    expect(openEndpointReason({ EndpointPublicAccess: false })).toBeUndefined();
  });
});

describe('product-search on Fargate (context securecart:productSearchPlatform=fargate)', () => {
  it('runs in the ECS cluster behind the same gate names; no App Runner stack; the deploy role follows', () => {
    const sc = buildSecureCartApp({
      context: { 'aws:cdk:bundling-stacks': [], 'securecart:productSearchPlatform': 'fargate' },
    });
    const staging = sc.environments.staging;
    expect(staging?.appRunner).toBeUndefined();
    expect(sc.environments.production?.appRunner).toBeUndefined();
    const t = Template.fromStack(staging?.containers as never);
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'securecart-staging-product-search',
      TaskDefinition: 'securecart-staging-product-search',
    });
    const target = sc.manifest().workloads['product-search']?.environments.staging;
    expect(target).toMatchObject({ platform: 'ecs', strategy: 'ecs-canary' });
    expect(target?.alarms).toEqual([
      'securecart-staging-product-search-errors',
      'securecart-staging-product-search-5xx',
      'securecart-staging-product-search-p99-latency',
    ]);
    const policy = JSON.stringify(Template.fromStack(staging?.deployAccess as never).toJSON());
    expect(policy).toContain('service/securecart-staging-ecs/securecart-staging-product-search');
    expect(policy).not.toContain('apprunner:');
  });
});
