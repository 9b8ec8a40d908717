import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  changedFiles,
  releaseMatrix,
  runtimeWorkspaceDependencies,
  workloadsToRelease,
} from '../../workflows/changed-workloads';
import type { ReleasedWorkload } from '../../workflows/released-workloads';
import { REPOSITORY_ROOT } from '../../workflows/workflow-document';

const RELEASED: ReleasedWorkload[] = [
  { workload: 'checkout', platform: 'ecs', container: true },
  { workload: 'payments', platform: 'lambda', container: false },
];
const DEPENDENCIES = new Map([
  ['checkout', ['workloads/shared']],
  ['payments', ['workloads/shared']],
]);
const names = (changed: Parameters<typeof workloadsToRelease>[0]) =>
  workloadsToRelease(changed, RELEASED, DEPENDENCIES).map(
    ({ workload, because }) => `${workload}: ${because}`,
  );

describe('workloadsToRelease', () => {
  it('releases a workload whose folder changed, and only that one', () => {
    expect(names(['workloads/payments/src/handler.ts', 'README.md'])).toEqual([
      'payments: workloads/payments/src/handler.ts',
    ]);
  });

  it('releases every workload depending on a shared package that changed', () => {
    expect(names(['workloads/shared/http.ts'])).toEqual([
      'checkout: workloads/shared/http.ts',
      'payments: workloads/shared/http.ts',
    ]);
  });

  it('releases a workload whose policy changed', () => {
    expect(names(['pipelines/policies/checkout.yml'])).toEqual(['checkout: pipelines/policies/checkout.yml']);
  });

  it('releases none for changes elsewhere, a folder that only shares a prefix, or the policy schema', () => {
    expect(
      names([
        'workloads/payments-archive/x.ts',
        'workloads/testing/src/spans.ts',
        'pipelines/policies/policy.schema.json',
        'pipelines/src/release/run-release.ts',
        'workloads/fulfillment/definition.ts',
      ]),
    ).toEqual([]);
  });

  it('releases every workload when there is nothing to diff against', () => {
    expect(names({ all: 'first push' })).toEqual(['checkout: first push', 'payments: first push']);
  });

  it('gives the matrix deploy.yml runs', () => {
    const changes = workloadsToRelease(['workloads/shared/otel.ts'], RELEASED, DEPENDENCIES);
    expect(releaseMatrix(changes)).toEqual({
      include: [
        { workload: 'checkout', container: true },
        { workload: 'payments', container: false },
      ],
    });
  });
});

describe('runtimeWorkspaceDependencies', () => {
  const dependencies = runtimeWorkspaceDependencies();

  it("reads SecureCart's packages: services depend on shared at run time, testing only as a devDependency", () => {
    expect(dependencies.get('payments')).toEqual(['workloads/shared']);
    expect(dependencies.get('recommendations')).toEqual(['workloads/shared']);
    expect(dependencies.get('fulfillment')).toEqual([]);
    expect(dependencies.get('shared')).toEqual([]);
  });

  it('follows dependencies through workspace packages', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tollgate-deps-'));
    try {
      const pkg = (folder: string, name: string, dependencies: Record<string, string>) => {
        mkdirSync(path.join(root, 'workloads', folder), { recursive: true });
        writeFileSync(
          path.join(root, 'workloads', folder, 'package.json'),
          JSON.stringify({ name, dependencies }),
        );
      };
      pkg('api', '@x/api', { '@x/core': '1.0.0', zod: '4.0.0' });
      pkg('core', '@x/core', { '@x/base': '1.0.0' });
      pkg('base', '@x/base', {});
      mkdirSync(path.join(root, 'workloads', 'docs'));
      expect(runtimeWorkspaceDependencies(root).get('api')).toEqual(['workloads/base', 'workloads/core']);
      expect(runtimeWorkspaceDependencies(root).has('docs')).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('changedFiles', () => {
  // A throwaway repository in the temp folder: two commits, the second touching one workload.
  const root = mkdtempSync(path.join(tmpdir(), 'tollgate-git-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  git('init', '--quiet');
  write('workloads/payments/src/handler.ts', 'export {};\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'first');
  const first = git('rev-parse', 'HEAD');
  write('workloads/payments/src/handler.ts', 'export const x = 1;\n');
  write('pipelines/policies/payments.yml', 'workload: payments\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'second');
  const second = git('rev-parse', 'HEAD');

  it('lists the files between two commits', () => {
    expect(changedFiles(first, second, root)).toEqual([
      'pipelines/policies/payments.yml',
      'workloads/payments/src/handler.ts',
    ]);
  });

  it('releases everything on a first push (before is all zeros) and when before is not in the history', () => {
    expect(changedFiles('0'.repeat(40), second, root)).toEqual({
      all: 'the first push of the branch releases every workload',
    });
    expect(changedFiles('1'.repeat(40), second, root)).toEqual({
      all: `${'1'.repeat(40)} is not in the history (a force push?): releasing every workload`,
    });
  });
});

describe('the changed-workloads command', () => {
  const run = (...args: string[]) =>
    spawnSync('npx', ['tsx', 'scripts/workflows/changed-workloads.ts', ...args], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('prints the matrix of every released workload on a first push', () => {
    const result = run('--before', '0'.repeat(40), '--after', 'HEAD');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      include: [
        { workload: 'auth', container: true },
        { workload: 'checkout', container: true },
        { workload: 'fraud-detection', container: false },
        { workload: 'order-processing', container: false },
        { workload: 'payments', container: false },
        { workload: 'product-search', container: true },
        { workload: 'recommendations', container: true },
      ],
    });
  });

  it('refuses to run without both commits (exit 2)', () => {
    const result = run('--before', 'HEAD');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('usage: changed-workloads.ts --before <commit> --after <commit>\n');
  });
});
