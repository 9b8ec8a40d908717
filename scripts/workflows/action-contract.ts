import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';

/** What a local action takes, from its action.yml, read with GitHub's own action parser. */
export interface ActionContract {
  /** Every input it declares. */
  readonly inputs: readonly string[];
  /** The inputs it requires and gives no default for: a step must set them. */
  readonly required: readonly string[];
  /** The files `runs` executes, relative to the action's folder (`dist/main.mjs`, `dist/post.mjs`). */
  readonly entryPoints: readonly string[];
}

/**
 * The contract of the action in `<root>/<folder>` (`actions/deploy`), or undefined when it has no
 * action.yml; an action.yml the parser refuses is an error naming the file and what is wrong.
 */
export function actionContract(root: string, folder: string): ActionContract | undefined {
  const file = path.join(root, folder, 'action.yml');
  if (!existsSync(file)) return undefined;
  const parsed = parseAction(
    { name: `${folder}/action.yml`, content: readFileSync(file, 'utf8') },
    new NoOperationTraceWriter(),
  );
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || !parsed.value) throw new Error(`${folder}/action.yml: ${errors.join('; ')}`);
  const template = convertActionTemplate(parsed.context, parsed.value);
  const inputs = template.inputs ?? [];
  const runs = template.runs;
  const entryPoints = 'main' in runs ? [runs.main, ...(runs.post ? [runs.post] : [])] : [];
  return {
    inputs: inputs.map((input) => input.id),
    required: inputs
      .filter((input) => input.required && input.default === undefined)
      .map((input) => input.id),
    entryPoints,
  };
}
