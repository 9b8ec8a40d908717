import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';

const WORKFLOWS = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));

/** Parses and converts a workflow the way GitHub does, returning every error it reports. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((error) => error.Message));
  }
  return errors;
}

describe('GitHub workflows', () => {
  const files = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));

  it.each(files)('%s is a valid workflow', async (file) => {
    expect(await workflowErrors(file, readFileSync(`${WORKFLOWS}${file}`, 'utf8'))).toEqual([]);
  });

  it('the validator catches a broken workflow', async () => {
    const broken =
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n';
    expect((await workflowErrors('broken.yml', broken)).length).toBeGreaterThan(0);
  });

  it('CI runs exactly .ci/run', () => {
    expect(readFileSync(`${WORKFLOWS}ci.yml`, 'utf8')).toContain('run: bash .ci/run');
  });
});
