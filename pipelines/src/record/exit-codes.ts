import type { ReleaseRecord } from './record';

/** The exit codes every `tollgate` command (and later every action) uses; documented in the README. */
export const EXIT = {
  promoted: 0,
  rolledBack: 1,
  badInput: 2,
  inconclusive: 3,
  unrecorded: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  promoted (or, for plan and status, success)
  1  rolled back, blocked or failed; or nothing to approve
  2  bad input: a malformed policy or manifest, unknown environment or workload, bad option; nothing moved
  3  inconclusive, or held for approval
  4  could not record: the ledger refused the release (nothing moved) or its end (the outcome is printed)`;

/** The code a finished (or held) release exits with; a promotion is never anything but 0. */
export function exitCodeFor(record: Pick<ReleaseRecord, 'outcome' | 'verdict'>): ExitCode {
  if (record.outcome === 'promoted') return EXIT.promoted;
  if (record.outcome === 'held' || record.verdict === 'inconclusive') return EXIT.inconclusive;
  return EXIT.rolledBack;
}
