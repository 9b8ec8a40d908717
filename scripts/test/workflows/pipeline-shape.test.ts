import { describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../workflows/workflow-document';

const workflows = new Map(loadWorkflows().map((workflow) => [workflow.file, workflow]));
const job = (file: string, id: string) => {
  const found = workflows.get(file)?.jobs[id];
  if (!found) throw new Error(`${file} has no job ${id}`);
  return found as typeof found & { needs?: string; environment?: string };
};
const runs = (file: string, id: string) => (job(file, id).steps ?? []).flatMap((step) => step.run ?? []);
const uses = (file: string, id: string) =>
  (job(file, id).steps ?? []).flatMap((step) => step.uses?.split('@')[0] ?? []);

describe('the release pipeline', () => {
  it('ci runs .ci/run, bundles the actions and synthesizes the CDK app', () => {
    expect(runs('ci.yml', 'test')).toEqual(['bash .ci/run', 'npm run bundle', 'npm run synth']);
  });

  it('deploy calls one pipeline per changed workload', () => {
    expect(job('deploy.yml', 'release').uses).toBe('./.github/workflows/release-workload.yml');
    expect(runs('deploy.yml', 'changes').join('')).toContain('scripts/workflows/changed-workloads.ts');
  });

  it('tests, releases to staging, then to production behind its environment, then tags', () => {
    expect(job('release-workload.yml', 'staging')).toMatchObject({ needs: 'test', environment: 'staging' });
    expect(job('release-workload.yml', 'production')).toMatchObject({
      needs: 'staging',
      environment: 'production',
    });
    expect(job('release-workload.yml', 'tag')).toMatchObject({
      needs: 'production',
      permissions: { contents: 'write' },
    });
    expect(uses('release-workload.yml', 'test')).toContain('./actions/test');
    for (const environment of ['staging', 'production']) {
      expect(uses('release-workload.yml', environment)).toEqual([
        'actions/checkout',
        'actions/setup-node',
        'aws-actions/configure-aws-credentials',
        'aws-actions/amazon-ecr-login',
        './actions/build',
        'aws-actions/configure-aws-credentials',
        './actions/deploy',
        'actions/upload-artifact',
      ]);
    }
  });

  it('rolls back in the environment chosen, with the rollback action', () => {
    expect(job('rollback.yml', 'rollback').environment).toBe(`\${{ inputs.environment }}`);
    expect(uses('rollback.yml', 'rollback')).toContain('./actions/rollback');
  });
});
