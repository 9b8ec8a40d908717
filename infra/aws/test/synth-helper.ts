import { Template } from 'aws-cdk-lib/assertions';
import { buildSecureCartApp, type SecureCartApp } from '../src/app';

export interface Synthesized {
  readonly sc: SecureCartApp;
  readonly ms: number;
  /** Template of `SecureCart-<Env>-<Part>`. */
  template(env: 'staging' | 'production', part: string): Template;
}

/** Build and synthesize the whole app once (Lambda bundling with local esbuild, no Docker). */
export function synthesizeApp(context: Record<string, unknown> = {}): Synthesized {
  const started = performance.now();
  const sc = buildSecureCartApp({ context });
  const assembly = sc.app.synth();
  const ms = performance.now() - started;
  const cache = new Map<string, Template>();
  return {
    sc,
    ms,
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
}
