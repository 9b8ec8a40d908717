import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ACTIONS_ROOT, type ActionName } from './bundle-action';

interface ActionYaml {
  inputs?: Record<string, { default?: string; required?: boolean }>;
}

/**
 * The defaults of an action's inputs, as the runner applies them to inputs a step leaves out. An
 * expression default (`${{ github.token }}`) is evaluated by the runner from its context, which a local
 * run does not have: it comes from `context` here, else it is empty.
 */
export async function actionDefaults(
  name: ActionName,
  context: Record<string, string> = {},
): Promise<Record<string, string>> {
  const metadata = parse(await readFile(join(ACTIONS_ROOT, name, 'action.yml'), 'utf8')) as ActionYaml;
  const defaults: Record<string, string> = {};
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    const value = spec.default ?? '';
    const expression = /^\$\{\{\s*([\w.]+)\s*\}\}$/.exec(value)?.[1];
    defaults[input] = expression === undefined ? value : (context[expression] ?? '');
  }
  return defaults;
}
