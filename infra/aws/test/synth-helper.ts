import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { buildSecureCartApp, type SecureCartApp } from '../src/app';

export const ENVS = ['staging', 'production'] as const;
export type Env = (typeof ENVS)[number];
export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }
>;

export function accountOf(env: Env): string {
  return env === 'staging' ? '111111111111' : '222222222222';
}

export interface Synthesized {
  readonly sc: SecureCartApp;
  readonly ms: number;
  /** Template of `SecureCart-<Env>-<Part>`. */
  template(env: Env, part: string): Template;
  resources(env: Env, part: string, type: string): Resources;
  /** The logical id of the one resource of `type` whose properties match `props` (fails unless exactly one). */
  logicalIdOf(env: Env, part: string, type: string, props: Record<string, unknown>): string;
  /** Every statement of the inline policies attached to roles whose logical id contains `role`. */
  statementsOfRole(env: Env, part: string, role: string): PolicyStatement[];
}

export interface PolicyStatement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

/** Build and synthesize the whole app once (Lambda bundling with local esbuild, no Docker). */
export function synthesizeApp(context: Record<string, unknown> = {}): Synthesized {
  const started = performance.now();
  const sc = buildSecureCartApp({ context });
  const assembly = sc.app.synth();
  const ms = performance.now() - started;
  const cache = new Map<string, Template>();
  const synthesized: Synthesized = {
    sc,
    ms,
    resources: (env, part, type) => synthesized.template(env, part).findResources(type) as Resources,
    logicalIdOf(env, part, type, props) {
      const found = Object.keys(synthesized.template(env, part).findResources(type, { Properties: props }));
      expect(found, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
      return found[0] as string;
    },
    statementsOfRole(env, part, role) {
      return Object.values(synthesized.resources(env, part, 'AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties?.Roles ?? []).includes(role))
        .flatMap(
          (p) =>
            (p.Properties?.PolicyDocument as { Statement?: PolicyStatement[] } | undefined)?.Statement ?? [],
        );
    },
    template(env, part) {
      const name = `SecureCart-${env === 'staging' ? 'Staging' : 'Production'}-${part}`;
      let template = cache.get(name);
      if (!template) {
        template = Template.fromJSON(assembly.getStackByName(name).template as Record<string, unknown>);
        cache.set(name, template);
      }
      return template;
    },
  };
  return synthesized;
}

/** One property of a template resource (undefined when the resource or the property is absent). */
export function prop(resource: { Properties?: Record<string, unknown> } | undefined, key: string): unknown {
  return resource?.Properties?.[key];
}
