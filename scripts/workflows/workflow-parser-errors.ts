import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { REPOSITORY_ROOT } from './workflow-document';

/**
 * Every error GitHub's own workflow parser reports for a workflow: the schema, expressions and their
 * contexts, and (one level deep, read from the repository) the inputs a local reusable workflow takes.
 */
export async function workflowParserErrors(
  file: string,
  content: string,
  root = REPOSITORY_ROOT,
): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (!parsed.value) return errors;
  const fileProvider = {
    async getFileContent(ref: FileReference) {
      if ('repository' in ref)
        throw new Error(`${file}: reusable workflows of other repositories are not read`);
      return { name: ref.path, content: await readFile(path.join(root, ref.path), 'utf8') };
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, {
    fetchReusableWorkflowDepth: 1,
  });
  errors.push(...(template.errors ?? []).map((error) => error.Message));
  return errors;
}
