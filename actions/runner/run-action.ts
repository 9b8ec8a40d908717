import { debug, setFailed } from '@actions/core';
import { errorText } from '@tollgate/pipelines/errors/error-text';
import { InputError } from '@tollgate/pipelines/errors/input-error';
import { PolicyError } from '@tollgate/pipelines/policy/policy-error';
import { ActionInputError } from './action-input-error';

/** Bad input: a sentence naming the input, exit code 2 (as the CLI's), nothing in the cloud changed. */
export const BAD_INPUT_EXIT = 2;

/**
 * The one top-level failure handler of every action: bad input fails the step with its sentence and
 * exit code 2; anything else fails it as an internal error, with the stack only in the debug log (ACTIONS_STEP_DEBUG).
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (isBadInput(error)) {
      setFailed(error.message);
      process.exitCode = BAD_INPUT_EXIT;
      return;
    }
    setFailed(`internal error (please report it): ${errorText(error)}`);
    if (error instanceof Error && error.stack) debug(error.stack);
  }
}

function isBadInput(error: unknown): error is Error {
  return error instanceof ActionInputError || error instanceof InputError || error instanceof PolicyError;
}
