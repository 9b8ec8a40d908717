/** The exit codes every `tollgate` command uses; documented in `tollgate --help` and the README. */
export const EXIT = {
  promoted: 0,
  rolledBack: 1,
  badInput: 2,
  inconclusive: 3,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  promoted (or, for plan and status, success)
  1  rolled back, blocked or failed a gate
  2  bad input: a malformed policy, unknown environment or workload, bad option
  3  inconclusive or held for approval`;
