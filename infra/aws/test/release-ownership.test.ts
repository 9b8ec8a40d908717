import { Stack, Tags } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSecureCartApp, UNTAGGED_RESOURCE_TYPES } from '../src/app';
import { replacingProperties } from './resource-schema';
import { prop } from './synth-helper';

/**
 * One owner per release object. CloudFormation creates each release object once; releases own versions,
 * weights and images. Proof: synthesize the app, then again with an unrelated change to every stack (an
 * operator adds a cost tag everywhere), and show that no release-owned property changes and no release-owned
 * resource would be replaced (a create-only property changed, per the resource schemas) in that change.
 */
type Resource = { Type: string; Properties?: Record<string, unknown>; UpdatePolicy?: unknown };
type Templates = Record<string, Record<string, Resource>>;

/** Per type: the properties a release changes. `*` = the whole resource is the release's after creation. */
const RELEASE_OWNED: Record<string, readonly string[]> = {
  'AWS::Lambda::Function': ['Code', 'Environment'],
  'AWS::Lambda::Version': ['*'],
  'AWS::Lambda::Alias': ['FunctionVersion', 'RoutingConfig'],
  'AWS::StepFunctions::StateMachineVersion': ['*'],
  'AWS::StepFunctions::StateMachineAlias': ['RoutingConfiguration', 'DeploymentPreference'],
  'AWS::ECS::Service': ['TaskDefinition', 'LoadBalancers'],
  'AWS::ECS::TaskDefinition': ['ContainerDefinitions'],
  'AWS::ElasticLoadBalancingV2::Listener': ['DefaultActions'],
  'AWS::ElasticLoadBalancingV2::ListenerRule': ['Actions'],
  'AWS::AppRunner::Service': ['SourceConfiguration'],
};

function synthesize(change?: (stack: Stack) => void): Templates {
  const { app } = buildSecureCartApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));
  if (change) for (const stack of stacks) change(stack);
  const assembly = app.synth();
  return Object.fromEntries(
    stacks.map((s) => [
      s.stackName,
      (assembly.getStackByName(s.stackName).template as { Resources: Record<string, Resource> }).Resources,
    ]),
  );
}

let before: Templates;
let after: Templates;

beforeAll(() => {
  before = synthesize();
  after = synthesize((stack) =>
    Tags.of(stack).add('cost-center', 'retail-42', { excludeResourceTypes: [...UNTAGGED_RESOURCE_TYPES] }),
  );
}, 120_000);

const owned = (templates: Templates) =>
  Object.entries(templates).flatMap(([stack, resources]) =>
    Object.entries(resources)
      .filter(([, r]) => r.Type in RELEASE_OWNED)
      .map(([id, r]) => ({ key: `${stack}/${id}`, resource: r })),
  );

describe('release objects have one owner', () => {
  it('the unrelated change does change every stack', () => {
    const changed = Object.keys(before).filter((s) => JSON.stringify(before[s]) !== JSON.stringify(after[s]));
    expect(changed.sort()).toEqual(Object.keys(before).sort());
  });

  it('no release-owned property changes, and no release-owned resource is added, removed or replaced', () => {
    const was = new Map(owned(before).map((o) => [o.key, o.resource]));
    const now = new Map(owned(after).map((o) => [o.key, o.resource]));
    expect([...now.keys()].sort()).toEqual([...was.keys()].sort());
    const drift: string[] = [];
    for (const [key, resource] of now) {
      const old = was.get(key) as Resource;
      const props = RELEASE_OWNED[resource.Type] as readonly string[];
      const watched = props.includes('*')
        ? Object.keys({ ...old.Properties, ...resource.Properties })
        : props;
      for (const p of watched) {
        if (JSON.stringify(old.Properties?.[p]) !== JSON.stringify(resource.Properties?.[p]))
          drift.push(`${key}.${p}`);
      }
      for (const p of replacingProperties(resource.Type)) {
        if (JSON.stringify(old.Properties?.[p]) !== JSON.stringify(resource.Properties?.[p]))
          drift.push(`${key}.${p} (replaces)`);
      }
      if (JSON.stringify(old.UpdatePolicy) !== JSON.stringify(resource.UpdatePolicy))
        drift.push(`${key} UpdatePolicy`);
    }
    expect(drift).toEqual([]);
  });

  it('CloudFormation points each release object at its bootstrap artifact, and nothing moves it later', () => {
    const all = owned(before);
    const ofType = (type: string) => all.filter((o) => o.resource.Type === type).map((o) => o.resource);
    // Lambda: no CodeDeploy update policy (a stack update would run a deployment of the template's version).
    expect(ofType('AWS::Lambda::Alias').map((a) => a.UpdatePolicy)).toEqual(Array(8).fill(undefined));
    // Step Functions: routing to the bootstrap version, no deployment preference.
    expect(
      ofType('AWS::StepFunctions::StateMachineAlias').map((a) => a.Properties?.DeploymentPreference),
    ).toEqual([undefined, undefined]);
    // ECS: services name their task family, never a revision.
    expect(ofType('AWS::ECS::Service').map((s) => s.Properties?.TaskDefinition)).toEqual(
      ['staging', 'production'].flatMap((e) =>
        ['checkout', 'auth', 'order-batch'].map((w) => `securecart-${e}-${w}`),
      ),
    );
    // App Runner: the bootstrap image of its own repository.
    expect(
      ofType('AWS::AppRunner::Service').map(
        (s) =>
          (prop(s, 'SourceConfiguration') as { ImageRepository: { ImageIdentifier: string } }).ImageRepository
            .ImageIdentifier,
      ),
    ).toEqual([
      '111111111111.dkr.ecr.eu-west-1.amazonaws.com/securecart/staging/product-search:bootstrap',
      '222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/production/product-search:bootstrap',
    ]);
    // EKS: no Kubernetes object is in any template (Tollgate's adapter applies them).
    expect(all.filter((o) => o.resource.Type.startsWith('Custom::AWSCDK-EKS'))).toEqual([]);
  });
});
