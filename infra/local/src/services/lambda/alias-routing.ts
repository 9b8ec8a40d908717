import type { AliasState, FunctionState } from './function-state';
import { invalidParameter, validationFailed } from './lambda-errors';

/**
 * Refuses an alias routing Lambda refuses, in the order Lambda checks: more than one additional
 * version, a weight outside 0.0–1.0 (the documented range of AdditionalVersionWeights), a key that is
 * not a version number, the alias's own version, routing from $LATEST, and a version that does not
 * exist.
 */
export function checkRouting(
  fn: FunctionState,
  functionVersion: string,
  weights: Record<string, number>,
): void {
  const entries = Object.entries(weights);
  if (entries.length > 1) {
    throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  }
  for (const [ref, weight] of entries) {
    if (!(typeof weight === 'number' && weight >= 0 && weight <= 1)) {
      throw validationFailed(
        `{${ref}=${weight}}`,
        'routingConfig.additionalVersionWeights',
        'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]',
      );
    }
    if (!/^[0-9]+$/.test(ref)) {
      throw validationFailed(
        `{${ref}=${weight}}`,
        'routingConfig.additionalVersionWeights',
        'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]',
      );
    }
    if (ref === functionVersion) {
      throw invalidParameter(
        `Invalid function version ${functionVersion}. Function version ${functionVersion} is already included in routing configuration.`,
      );
    }
    if (functionVersion === '$LATEST') {
      throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
    }
    fn.requireVersion(ref);
  }
}

/**
 * The version one invocation of the alias runs: each additional version by its weight, the alias's
 * own version the rest. `random` is in [0, 1).
 */
export function pickVersion(alias: AliasState, random: () => number): string {
  let draw = random();
  for (const [ref, weight] of Object.entries(alias.weights)) {
    if (draw < weight) return ref;
    draw -= weight;
  }
  return alias.functionVersion;
}
