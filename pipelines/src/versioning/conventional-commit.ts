/** How far a change moves a version: the three parts of `x.y.z`. */
export type Bump = 'major' | 'minor' | 'patch';

const BUMP_ORDER: readonly Bump[] = ['patch', 'minor', 'major'];

/** `type(scope)!: subject`, the Conventional Commits header; the scope and the `!` are optional. */
const HEADER = /^(?<type>[A-Za-z]+)(?:\([^()\r\n]*\))?(?<breaking>!)?: \S/;

/** The footer that marks a breaking change; the specification allows both spellings, upper case only. */
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE: \S/m;

/**
 * The bump one commit message asks for, by Conventional Commits 1.0.0: a `!` after the type or scope,
 * or a `BREAKING CHANGE:` footer, is major; `feat` is minor; everything else — `fix`, `perf`, `chore`,
 * and messages that do not follow the convention at all — is patch, because a commit that touched the
 * workload changed what it ships.
 */
export function commitBump(message: string): Bump {
  const header = HEADER.exec(message.trimStart());
  if (header?.groups?.breaking === '!' || BREAKING_FOOTER.test(message)) return 'major';
  if (header?.groups?.type?.toLowerCase() === 'feat') return 'minor';
  return 'patch';
}

/** The largest bump among commits; undefined when there is none (nothing changed). */
export function largestBump(messages: readonly string[]): Bump | undefined {
  let largest: Bump | undefined;
  for (const message of messages) {
    const bump = commitBump(message);
    if (largest === undefined || BUMP_ORDER.indexOf(bump) > BUMP_ORDER.indexOf(largest)) largest = bump;
  }
  return largest;
}
