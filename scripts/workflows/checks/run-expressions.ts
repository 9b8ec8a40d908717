import type { WorkflowDocument } from '../workflow-document';
import { stepsOf } from '../workflow-document';

/**
 * `${{ … }}` inside a `run:` script: the runner pastes the value into the script before the shell reads
 * it, so a branch name or an input can inject commands. Values go through `env:` and are read as "$VAR".
 */
export function expressionsInRun(workflow: WorkflowDocument): string[] {
  return stepsOf(workflow).flatMap(({ where, step }) =>
    typeof step.run === 'string' && step.run.includes('${{')
      ? [`${workflow.file} ${where}: run: contains a \${{ }} expression; pass the value through env:`]
      : [],
  );
}
