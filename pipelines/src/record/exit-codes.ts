import type { Verdict } from '../judge/verdict';
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

/** `tollgate rollback`: returning to the version asked for is what the command is for, so it is success. */
export const ROLLBACK_EXIT_CODES_HELP = `
Exit codes:
  0  rolled back: the version asked for is live at 100%
  1  failed (the output and report say how traffic stands), or blocked: the platform could not be read
     or the version could not be found on it; nothing moved
  2  bad input: a malformed policy or manifest, unknown environment or workload, a version never live
     there, or no earlier release in the ledger to return to; nothing moved
  4  could not record: the ledger could not be read or refused the rollback (nothing moved), or refused
     its end (the outcome is printed)`;

/** `tollgate gate`: the verdict of the window; nothing moves and nothing is recorded in the ledger. */
export const GATE_EXIT_CODES_HELP = `
Exit codes:
  0  pass: every gate passed at every poll for the whole window
  1  fail (a gate failed; the watch stopped at that poll) or error (a signal missing or unreadable)
  2  bad input: a malformed policy or manifest, unknown environment or workload, bad option
  3  inconclusive: too little data, INSUFFICIENT_DATA under \`alarmInsufficientData: block\`, or no gates`;

/**
 * The code a finished (or held) release exits with; a promotion is never anything but 0, and neither is
 * a rollback a person asked for that ended with the version they asked for live.
 */
export function exitCodeFor(record: Pick<ReleaseRecord, 'outcome' | 'verdict' | 'manualRollback'>): ExitCode {
  if (record.outcome === 'promoted') return EXIT.promoted;
  if (record.manualRollback && record.outcome === 'rolled-back') return EXIT.promoted;
  if (record.outcome === 'held' || record.verdict === 'inconclusive') return EXIT.inconclusive;
  return EXIT.rolledBack;
}

/** The code a gate verdict exits with (`tollgate gate`): only a pass is 0. */
export function exitCodeForVerdict(verdict: Verdict): ExitCode {
  if (verdict === 'pass') return EXIT.promoted;
  if (verdict === 'inconclusive') return EXIT.inconclusive;
  return EXIT.rolledBack;
}
