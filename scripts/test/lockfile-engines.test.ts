import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` warns (EBADENGINE) for every locked package whose `engines.node` the running Node does not
 * satisfy, and such a package may fail at run time. Every locked package must accept the oldest Node the
 * root package.json allows, which is the Node CI runs on.
 */
const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

describe('the lockfile installs cleanly on the Node versions the root allows', () => {
  const oldest = semver.minVersion(manifest.engines.node)?.version;

  it('the root names a lower bound on Node 20', () => {
    expect(oldest && semver.major(oldest)).toBe(20);
  });

  it('every locked package accepts that Node', () => {
    const refusing = Object.entries(lock.packages)
      .map(([path, entry]) => [path, Array.isArray(entry.engines) ? undefined : entry.engines?.node] as const)
      .filter(([, range]) => range !== undefined && !semver.satisfies(oldest as string, range))
      .map(([path, range]) => `${path.replace(/^node_modules\//, '')} wants node ${range}`);
    expect(refusing).toEqual([]);
  });
});
