import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The container images are built from workloads/ with only the packages in shared/container-deps.txt.
 * These checks catch, without Docker: a Dockerfile pointing at a missing entry, a root or single-stage
 * image, and service code importing a package the image will not have.
 */
const workloads = new URL('../../', import.meta.url);
const CONTAINERS = {
  checkout: 'src/server.ts',
  auth: 'src/server.ts',
  recommendations: 'src/server.ts',
  'product-search': 'src/server.ts',
  'order-batch': 'src/worker.ts',
} as const;
const deps = readFileSync(new URL('shared/container-deps.txt', workloads), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.slice(0, line.lastIndexOf('@')));

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Fails the build when workload code imports a package that the image does not install. */
const onlyContainerDeps: Plugin = {
  name: 'only-container-deps',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.importer.includes('node_modules') || args.path.startsWith('node:')) return undefined;
      if (builtinModules.includes(args.path)) return undefined;
      const name = packageName(args.path);
      if (deps.includes(name)) return undefined;
      return { errors: [{ text: `${name} is imported by ${args.importer} but not in container-deps.txt` }] };
    });
  },
};

describe.each(Object.entries(CONTAINERS))('%s container', (name, entry) => {
  const dockerfile = readFileSync(new URL(`${name}/Dockerfile`, workloads), 'utf8');

  it('has a multi-stage Dockerfile that bundles the entry point and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toContain(`npx esbuild ${name}/${entry} --bundle --platform=node --target=node20`);
    expect(existsSync(new URL(`${name}/${entry}`, workloads))).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) {
      expect(existsSync(new URL(source as string, workloads)), source).toBe(true);
    }
  });

  it('declares a health check on /health (the servers and the order-batch worker)', () => {
    expect(dockerfile).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD node -e .*\/health/);
  });

  it('bundles with only the packages the image installs', async () => {
    const result = await build({
      entryPoints: [new URL(`${name}/${entry}`, workloads).pathname],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      plugins: [onlyContainerDeps],
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]?.text.length).toBeGreaterThan(10_000);
  });
});
