import { getInput } from '@actions/core';
import { ActionInputError } from './action-input-error';

/**
 * The runner hands every input over as INPUT_<NAME> (upper-cased, spaces to `_`), with the action.yml
 * default already applied; an empty string means "not given".
 */
export function optionalInput(name: string): string | undefined {
  const value = getInput(name).trim();
  return value === '' ? undefined : value;
}

/** A required input; its absence names the input and what it is for. */
export function requiredInput(name: string, what: string): string {
  const value = optionalInput(name);
  if (value === undefined) throw new ActionInputError(`input "${name}" is required: ${what}`);
  return value;
}

/** An input that must be one of `allowed`; the error lists them. */
export function choiceInput<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = optionalInput(name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ActionInputError(
      `input "${name}" is "${value}"; allowed: ${allowed.map((choice) => `"${choice}"`).join(', ')}`,
    );
  }
  return value as T;
}
