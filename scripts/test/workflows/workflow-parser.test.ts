import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../workflows/workflow-document';
import { workflowParserErrors } from '../../workflows/workflow-parser-errors';

describe("GitHub's workflow parser", () => {
  const workflows = loadWorkflows();

  it('finds the five workflows', () => {
    expect(workflows.map((workflow) => workflow.file)).toEqual([
      'ci.yml',
      'deploy.yml',
      'release-actions.yml',
      'release-workload.yml',
      'rollback.yml',
    ]);
  });

  it.each(workflows.map((workflow) => [workflow.file, workflow.content]))(
    '%s has no error',
    async (file, content) => {
      expect(await workflowParserErrors(file, content)).toEqual([]);
    },
  );

  it('reports a step that both uses an action and runs a script', async () => {
    const broken =
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n';
    expect((await workflowParserErrors('broken.yml', broken)).length).toBeGreaterThan(0);
  });

  describe('a local reusable workflow call', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tollgate-workflows-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    writeFileSync(
      path.join(root, '.github/workflows/called.yml'),
      'on:\n  workflow_call:\n    inputs:\n      workload:\n        type: string\n        required: true\njobs:\n  one:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo one\n',
    );
    const caller = (input: string) =>
      `on: push\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n    with:\n      ${input}: payments\n`;

    it('is read from the repository and accepts its declared input', async () => {
      expect(await workflowParserErrors('caller.yml', caller('workload'), root)).toEqual([]);
    });

    it('refuses an input the called workflow does not declare, and a missing required one', async () => {
      const errors = await workflowParserErrors('caller.yml', caller('workloads'), root);
      expect(errors.some((error) => error.includes('Invalid input, workloads is not defined'))).toBe(true);
      expect(errors.some((error) => error.includes('Input workload is required'))).toBe(true);
    });
  });
});
