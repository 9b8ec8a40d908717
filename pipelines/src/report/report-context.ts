/**
 * What a report needs to know about where the release ran that its record does not carry: the target's
 * Region and account (for console links), the gating alarms by name and the X-Ray service name the
 * release's traces are recorded under. The caller builds it from the release's environment
 * (`reportContext`); a report written without one (say, rebuilt from the ledger) links nowhere.
 */
export interface ReportContext {
  region?: string;
  account?: string;
  /** The gating alarms, as the policy lists them (what the alarm gate read). */
  alarms: readonly string[];
  /** `xrayServiceName` of the target: the traces links select `service("<name>")`. */
  traceService?: string;
  /** Who approved (or rejected) the job's deployment to its environments before it ran (GitHub reviews). */
  environmentReviews?: readonly EnvironmentReview[];
}

/** One review of a protected environment's deployment, as the workflow run's review history has it. */
export interface EnvironmentReview {
  by: string;
  state: 'approved' | 'rejected';
  environments: readonly string[];
  comment: string;
}

/**
 * The part of a policy environment (`PolicyEnvironment` in `policy/target-checks.ts`) the report reads,
 * spelled out here because `report/` may not import `policy/` (see `.dependency-cruiser.cjs`); a
 * `PolicyEnvironment` is one.
 */
export interface ReportEnvironment {
  target: { region: string; account: string; xrayServiceName: string };
  gates?: { alarms: readonly string[] };
}

/** The report context of a release into `environment`: its target's Region, account, alarms, traces. */
export function reportContext(environment: ReportEnvironment): ReportContext {
  const { region, account, xrayServiceName } = environment.target;
  return {
    region,
    account,
    alarms: [...(environment.gates?.alarms ?? [])],
    traceService: xrayServiceName,
  };
}
