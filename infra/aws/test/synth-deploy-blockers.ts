import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { UNTAGGED_RESOURCE_TYPES } from '../src/app';
import { schemaViolations, type TemplateLike } from './resource-schema';
import { accountOf, ENVS, prop, type Synthesized } from './synth-helper';

const PARTS = ['DeployAccess', 'Platform', 'Network', 'Serverless', 'Containers', 'Kubernetes', 'AppRunner'];
const CONTAINERS = ['auth', 'checkout', 'order-batch', 'product-search', 'recommendations'];

/** Registered by synth.test.ts, so these share its one synthesis of the app. */
export function describeDeployBlockers(synthesized: () => Synthesized): void {
  describe('CloudFormation resource schemas', () => {
    it('every property of every resource in every template is declared by its type', () => {
      const violations = ENVS.flatMap((env) =>
        PARTS.flatMap((part) =>
          schemaViolations(synthesized().template(env, part).toJSON() as TemplateLike).map(
            (v) => `${env}/${part}/${v}`,
          ),
        ),
      );
      expect(violations).toEqual([]);
    });

    it('the check names a property its type lacks, at any depth', () => {
      expect(
        schemaViolations({
          Resources: {
            Listener: {
              Type: 'AWS::ElasticLoadBalancingV2::Listener',
              Properties: { Port: 80, Colour: 'blue', DefaultActions: [{ Type: 'forward', Weight: 1 }] },
            },
            Thing: { Type: 'AWS::Nope::Thing', Properties: {} },
          },
        }),
      ).toEqual([
        'Listener (AWS::ElasticLoadBalancingV2::Listener): Properties.Colour is not in the schema',
        'Listener (AWS::ElasticLoadBalancingV2::Listener): Properties.DefaultActions[0].Weight is not in the schema',
        'Thing (AWS::Nope::Thing): no published schema for this type',
      ]);
    });

    it.each(UNTAGGED_RESOURCE_TYPES)('%s carries no Tags (app-wide tags skip it)', (type) => {
      const tagged = ENVS.flatMap((env) =>
        PARTS.flatMap((part) =>
          Object.entries(synthesized().resources(env, part, type))
            .filter(([, r]) => r.Properties?.Tags !== undefined)
            .map(([id]) => `${env}/${part}/${id}`),
        ),
      );
      expect(tagged).toEqual([]);
    });
  });

  describe.each(ENVS)('%s: container registry', (env) => {
    it('one ECR repository per container workload: immutable tags, scan on push, lifecycle keeps bootstrap', () => {
      const repos = Object.values(synthesized().resources(env, 'Platform', 'AWS::ECR::Repository'));
      expect(repos.map((r) => r.Properties?.RepositoryName).sort()).toEqual(
        CONTAINERS.map((w) => `securecart/${env}/${w}`),
      );
      for (const repo of repos) {
        expect(repo.Properties?.ImageTagMutability).toBe('IMMUTABLE');
        expect(repo.Properties?.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
        expect(
          JSON.parse((prop(repo, 'LifecyclePolicy') as { LifecyclePolicyText: string }).LifecyclePolicyText),
        ).toEqual({
          rules: [
            {
              rulePriority: 1,
              description: 'keep the bootstrap image',
              selection: {
                tagStatus: 'tagged',
                tagPatternList: ['bootstrap'],
                countType: 'imageCountMoreThan',
                countNumber: 1,
              },
              action: { type: 'expire' },
            },
            {
              rulePriority: 2,
              description: 'expire untagged images (failed or superseded pushes) after 7 days',
              selection: {
                tagStatus: 'untagged',
                countType: 'sinceImagePushed',
                countNumber: 7,
                countUnit: 'days',
              },
              action: { type: 'expire' },
            },
            {
              rulePriority: 3,
              description: 'keep the 100 most recent release images',
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
              action: { type: 'expire' },
            },
          ],
        });
      }
    });

    it('task execution roles and App Runner pull from their own repository only', () => {
      const pulls = (part: string, role: string) =>
        synthesized()
          .statementsOfRole(env, part, role)
          .filter((st) => JSON.stringify(st.Action).includes('ecr:BatchGetImage'))
          .map((st) => JSON.stringify(st.Resource));
      const repoArn = (w: string) => `:ecr:eu-west-1:${accountOf(env)}:repository/securecart/${env}/${w}`;
      for (const [w, role] of [
        ['checkout', 'CheckoutExecutionRole'],
        ['auth', 'AuthExecutionRole'],
        ['order-batch', 'OrderBatchExecutionRole'],
      ] as const) {
        expect(pulls('Containers', role)).toEqual([expect.stringContaining(repoArn(w))]);
      }
      expect(pulls('AppRunner', 'ProductSearchAccessRole')).toEqual([
        expect.stringContaining(repoArn('product-search')),
      ]);
    });
  });

  describe.each(ENVS)('%s: EKS access and endpoint', (env) => {
    it('private endpoint by default; a named operator role is cluster admin, the deploy role edits its namespace', () => {
      const t = synthesized().template(env, 'Kubernetes');
      t.hasResourceProperties('AWS::EKS::Cluster', {
        ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
      });
      const admin = synthesized().logicalIdOf(env, 'Kubernetes', 'AWS::IAM::Role', {
        RoleName: `securecart-${env}-eks-admin`,
      });
      const entries = Object.values(synthesized().resources(env, 'Kubernetes', 'AWS::EKS::AccessEntry')).map(
        (e) => ({
          principal: JSON.stringify(e.Properties?.PrincipalArn),
          policies: (prop(e, 'AccessPolicies') as { PolicyArn: unknown; AccessScope: unknown }[]).map(
            (p) => ({
              policy: JSON.stringify(p.PolicyArn).match(/policy\/(\w+)/)?.[1],
              scope: p.AccessScope,
            }),
          ),
        }),
      );
      expect(entries).toEqual([
        {
          principal: expect.stringContaining(`:iam::${accountOf(env)}:role/securecart-${env}-github-deploy`),
          policies: [
            { policy: 'AmazonEKSEditPolicy', scope: { Type: 'namespace', Namespaces: ['recommendations'] } },
          ],
        },
        {
          principal: JSON.stringify({ 'Fn::GetAtt': [admin, 'Arn'] }),
          policies: [{ policy: 'AmazonEKSClusterAdminPolicy', scope: { Type: 'cluster' } }],
        },
      ]);
    });
  });

  describe.each(ENVS)('%s: checkout listeners', (env) => {
    it(
      env === 'production' ? 'HTTPS 443, and port 80 only redirects to it' : 'HTTP 80 without a certificate',
      () => {
        const listeners = Object.values(
          synthesized().resources(env, 'Containers', 'AWS::ElasticLoadBalancingV2::Listener'),
        )
          .filter((l) => JSON.stringify(l.Properties?.LoadBalancerArn).includes('CheckoutAlb'))
          .map((l) => ({
            port: l.Properties?.Port,
            protocol: l.Properties?.Protocol,
            action: (prop(l, 'DefaultActions') as { Type: string }[])[0],
          }));
        expect(listeners.map((l) => [l.port, l.protocol, l.action?.Type])).toEqual(
          env === 'production'
            ? [
                [443, 'HTTPS', 'forward'],
                [80, 'HTTP', 'redirect'],
                [8443, 'HTTP', 'forward'],
              ]
            : [
                [80, 'HTTP', 'forward'],
                [8443, 'HTTP', 'forward'],
              ],
        );
        if (env === 'production') {
          expect(listeners[1]?.action).toEqual({
            Type: 'redirect',
            RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
          });
        }
      },
    );
  });

  describe.each(ENVS)('%s: X-Ray sampling', (env) => {
    it('one rule per gated service, above the default rule, with the environment reservoir and rate', () => {
      const rules = Object.values(synthesized().resources(env, 'Platform', 'AWS::XRay::SamplingRule')).map(
        (r) => r.Properties?.SamplingRule as Record<string, unknown>,
      );
      const short = env === 'staging' ? 'stg' : 'prd';
      const lambdas = ['order-processing', 'payments', 'fraud-detection', 'inventory-sync', 'fulfillment'];
      expect(rules.map((r) => [r.RuleName, r.ServiceName])).toEqual([
        ...lambdas.map((w) => [`sc-${short}-${w}-trace`, `securecart-${env}-${w}`]),
        ...CONTAINERS.map((w) => [`sc-${short}-${w}-trace`, w]),
      ]);
      for (const rule of rules) {
        expect({ ...rule, RuleName: undefined, ServiceName: undefined }).toEqual({
          RuleName: undefined,
          ServiceName: undefined,
          Priority: 100,
          ReservoirSize: env === 'staging' ? 10 : 20,
          FixedRate: env === 'staging' ? 1 : 0.1,
          ServiceType: '*',
          Host: '*',
          HTTPMethod: '*',
          URLPath: '*',
          ResourceARN: '*',
          Version: 1,
        });
      }
    });
  });
}
