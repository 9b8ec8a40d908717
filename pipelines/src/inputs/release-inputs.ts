import semver from 'semver';
import { InputError } from '../errors/input-error';

/**
 * Values people type that end up in file names, reports, trace filters and the ledger. Each is checked
 * at the edge, with a message that says what is allowed; nothing is released with a bad one.
 */

const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;
/** GitHub logins, bots ("dependabot[bot]"), and local user names. */
const ACTOR_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._@+[\]-]{0,99}$/;
const MAX_REASON = 500;

export function releaseVersion(text: string, format: 'semver' | 'any', what = '--version'): string {
  if (!VERSION_PATTERN.test(text)) {
    throw new InputError(
      `${what} "${clip(text)}" is not a release version: 1 to 64 letters, digits, ".", "_", "+" or "-", starting with a letter or digit`,
    );
  }
  if (format === 'semver' && !semver.valid(text)) {
    throw new InputError(
      `${what} "${text}" is not a semantic version (like 1.4.0 or 2.0.0-rc.1); the policy asks for semver`,
    );
  }
  return text;
}

export function actorName(text: string, what = '--actor'): string {
  if (!ACTOR_PATTERN.test(text)) {
    throw new InputError(
      `${what} "${clip(text)}" is not a user name: 1 to 100 letters, digits, ".", "_", "@", "+", "-" or "[ ]", starting with a letter or digit`,
    );
  }
  return text;
}

/** A reason a person gives (an override, an approval): one line of printable text. */
export function reasonText(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError(`${what} needs a reason`);
  if (trimmed.length > MAX_REASON)
    throw new InputError(`${what} is ${trimmed.length} characters; at most ${MAX_REASON}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
  if (/[\u0000-\u001f\u007f]/.test(trimmed))
    throw new InputError(`${what} must be one line of text, without control characters`);
  return trimmed;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
