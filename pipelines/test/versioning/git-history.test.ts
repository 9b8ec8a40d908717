import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headRef, readVersionHistory } from '../../src/versioning/git-history';
import { workloadPaths } from '../../src/versioning/workload-paths';
import { workloadVersion } from '../../src/versioning/workload-version';

let repo: string;

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

function run(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env: ENV, encoding: 'utf8' });
}

async function commit(path: string, message: string): Promise<void> {
  await mkdir(join(repo, path, '..'), { recursive: true });
  await writeFile(join(repo, path), `${message}\n`, { flag: 'a' });
  run('add', path);
  run('commit', '--quiet', '-m', message);
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'tollgate-versioning-'));
  run('init', '--quiet', '--initial-branch=main');
  await commit('workloads/payments/src/handler.ts', 'feat: first handler');
  run('tag', 'payments@0.9.0');
  await commit('workloads/payments/src/handler.ts', 'fix: round');
  run('tag', 'payments@1.10.0');
  run('tag', 'payments@1.9.0');
  run('tag', 'payments@not-semver');
  run('tag', 'payments-v2@9.0.0');
  await commit('workloads/checkout/src/server.ts', 'feat!: checkout only');
  run('tag', 'checkout@3.0.0');
  await commit('workloads/payments/README.md', 'docs: explain');
  await commit('workloads/shared/http.ts', 'feat(shared): retries');
  await commit('pipelines/policies/checkout.yml', 'feat!: checkout policy only');
  // A release tag on a branch that HEAD does not contain is not the base of HEAD's version.
  run('checkout', '--quiet', '-b', 'side', 'payments@1.10.0');
  await commit('workloads/payments/src/side.ts', 'fix: side');
  run('tag', 'payments@5.0.0');
  run('checkout', '--quiet', 'main');
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('readVersionHistory (a real git repository)', () => {
  it('reads the latest reachable release tag and the commits since that touch the workload', async () => {
    const history = await readVersionHistory({
      cwd: repo,
      workload: 'payments',
      paths: workloadPaths('payments'),
    });
    expect(history.latest).toBe('1.10.0');
    expect(history.messages).toEqual(['feat(shared): retries', 'docs: explain']);
  });

  it('reads every commit before the first release', async () => {
    const history = await readVersionHistory({ cwd: repo, workload: 'auth', paths: workloadPaths('auth') });
    expect(history).toEqual({ latest: undefined, messages: ['feat(shared): retries'] });
  });

  it('gives the next version on the release branch and a pre-release elsewhere', async () => {
    expect(await workloadVersion({ cwd: repo, workload: 'payments', releaseBranch: 'main' })).toEqual({
      version: '1.11.0',
      previous: '1.10.0',
      bump: 'minor',
      commits: 2,
      ref: 'refs/heads/main',
    });
    const pr = await workloadVersion({
      cwd: repo,
      workload: 'checkout',
      releaseBranch: 'main',
      ref: 'refs/pull/12/merge',
    });
    expect(pr.version).toBe('4.0.0-pr.12.2');
  });

  it('reads the branch from HEAD, and refuses a detached HEAD', async () => {
    expect(await headRef(repo)).toBe('refs/heads/main');
    run('checkout', '--quiet', '--detach', 'HEAD');
    try {
      await expect(headRef(repo)).rejects.toThrow(
        `HEAD in ${repo} is not on a branch and GITHUB_REF is not set: cannot tell a release build from a pre-release`,
      );
    } finally {
      run('checkout', '--quiet', 'main');
    }
  });

  it('says when the folder is not a repository', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'tollgate-not-a-repo-'));
    try {
      await expect(
        readVersionHistory({ cwd: plain, workload: 'payments', paths: workloadPaths('payments') }),
      ).rejects.toThrow(`git rev-parse failed in ${plain}: fatal: not a git repository`);
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });

  it('refuses a shallow clone', async () => {
    const shallow = await mkdtemp(join(tmpdir(), 'tollgate-shallow-'));
    try {
      execFileSync('git', ['clone', '--quiet', '--depth=1', `file://${repo}`, shallow], { env: ENV });
      await expect(
        readVersionHistory({ cwd: shallow, workload: 'payments', paths: workloadPaths('payments') }),
      ).rejects.toThrow(/is shallow: .*fetch-depth: 0/);
    } finally {
      await rm(shallow, { recursive: true, force: true });
    }
  });
});
