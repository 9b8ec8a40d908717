import type { WorkflowDocument, WorkflowJob } from '../workflow-document';
import { usesAction } from '../workflow-uses';

/** The actions that move traffic: two of them on one workload environment at once would fight. */
const RELEASING = ['./actions/deploy', './actions/rollback'];

function environmentName(job: WorkflowJob): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

function releaseJobProblem(job: WorkflowJob): string | undefined {
  const concurrency = job.concurrency;
  if (typeof concurrency !== 'object' || !concurrency.group) return 'no concurrency group';
  if (concurrency['cancel-in-progress'] !== false) return 'concurrency without cancel-in-progress: false';
  const environment = environmentName(job);
  if (!concurrency.group.includes('workload'))
    return `concurrency group "${concurrency.group}" names no workload`;
  if (!environment || !concurrency.group.includes(environment)) {
    return `concurrency group "${concurrency.group}" does not name the job's environment (${environment ?? 'none'})`;
  }
  return undefined;
}

/**
 * Jobs that deploy or roll back without a concurrency group per workload and environment that never
 * cancels the run in progress (a cancelled release may leave traffic split), and workflows that cancel
 * such jobs from their top-level concurrency.
 */
export function unsafeReleaseConcurrency(workflow: WorkflowDocument): string[] {
  const releaseJobs = Object.entries(workflow.jobs).filter(([, job]) =>
    (job.steps ?? []).some((step) => RELEASING.some((action) => usesAction(step.uses, action))),
  );
  const findings = releaseJobs.flatMap(([id, job]) => {
    const problem = releaseJobProblem(job);
    return problem ? [`${workflow.file} jobs.${id}: ${problem}`] : [];
  });
  const top = workflow.concurrency;
  const cancels = typeof top === 'object' && (top['cancel-in-progress'] ?? false) !== false;
  if (releaseJobs.length > 0 && cancels) {
    findings.push(`${workflow.file}: top-level concurrency may cancel a release in progress`);
  }
  return findings;
}
