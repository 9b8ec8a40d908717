import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The container images are built from the repository root: `npm ci --workspace <service>` installs what
 * the root lockfile pins for the service and for `workloads/shared`, then the service's own `bundle`
 * script runs. These checks catch, without Docker: a Dockerfile that copies a missing path or installs
 * something else, a root or single-stage image, and service code importing a package that neither the
 * service nor shared declares (the image would not have it).
 */
const root = new URL('../../../', import.meta.url);
const CONTAINERS = ['checkout', 'auth', 'recommendations', 'product-search', 'order-batch'] as const;

interface PackageJson {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), 'utf8'));

function declared(pkg: PackageJson): string[] {
  return [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Fails the build when service or shared code imports a package that its own package.json lacks. */
function onlyDeclared(service: string): Plugin {
  const allowed: Record<string, string[]> = {
    [`/workloads/${service}/`]: declared(readPackage(`workloads/${service}`)),
    '/workloads/shared/': declared(readPackage('workloads/shared')),
  };
  return {
    name: 'only-declared-dependencies',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.importer.includes('node_modules') || args.path.startsWith('node:')) return undefined;
        if (builtinModules.includes(args.path)) return undefined;
        const name = packageName(args.path);
        const owner = Object.keys(allowed).find((dir) => args.importer.includes(dir));
        if (owner && allowed[owner]?.includes(name)) return undefined;
        return {
          errors: [{ text: `${name} is imported by ${args.importer} but not declared by its package` }],
        };
      });
    },
  };
}

describe.each(CONTAINERS)('%s container', (service) => {
  const dockerfile = readFileSync(new URL(`workloads/${service}/Dockerfile`, root), 'utf8');
  const pkg = readPackage(`workloads/${service}`);
  const bundle = /esbuild (\S+) .*--outfile=(\S+)/.exec(pkg.scripts?.bundle ?? '');

  it('installs from the root lockfile only what the service and shared declare', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) =>
      (m[1] as string).split(' ').slice(0, -1),
    );
    expect(copied).toEqual([
      'package.json',
      'package-lock.json',
      'workloads/shared/package.json',
      `workloads/${service}/package.json`,
      'workloads/shared/',
      `workloads/${service}/`,
    ]);
    for (const source of copied) expect(existsSync(new URL(source as string, root)), source).toBe(true);
    expect(dockerfile).toContain(
      `RUN npm ci --workspace ${pkg.name} --include-workspace-root=false --omit=dev`,
    );
    expect(dockerfile).not.toMatch(/--no-package-lock|npm install/);
    const shared = readPackage('workloads/shared') as PackageJson & { version: string };
    expect(pkg.dependencies?.[shared.name]).toBe(shared.version);
  });

  it('bundles with its own script and runs the bundle as a non-root user in a second stage', () => {
    expect(bundle, 'package.json needs a "bundle" script running esbuild').not.toBeNull();
    const [, entry, outfile] = bundle as RegExpExecArray;
    expect(existsSync(new URL(`workloads/${service}/${entry}`, root))).toBe(true);
    expect(dockerfile).toContain(`RUN npm run bundle --workspace ${pkg.name}`);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const file = (outfile as string).replace('dist/', '');
    expect(dockerfile).toContain(`COPY --from=build /build/workloads/${service}/${outfile} ./${file}`);
    expect(dockerfile).toContain(`CMD ["node", "${file}"]`);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('declares a health check on /health (the servers and the order-batch worker)', () => {
    expect(dockerfile).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD node -e .*\/health/);
  });

  it('bundles with only the packages it and shared declare', async () => {
    const [, entry] = bundle as RegExpExecArray;
    const result = await build({
      entryPoints: [new URL(`workloads/${service}/${entry}`, root).pathname],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      plugins: [onlyDeclared(service)],
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]?.text.length).toBeGreaterThan(10_000);
  });
});
