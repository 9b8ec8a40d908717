import { ActionInputError } from '../../runner/action-input-error';
import { optionalInput, requiredInput } from '../../runner/inputs';

/** The build action's inputs, checked; defaults are action.yml's. */
export interface BuildInputs {
  readonly workload: string;
  /** Only this environment's image repository; none: every environment's. */
  readonly environment: string | undefined;
  readonly manifest: string;
  readonly releaseBranch: string;
  readonly s3Bucket: string | undefined;
  readonly outDir: string;
}

/** S3's bucket naming rules (general purpose buckets): 3 to 63 lower-case letters, digits, `.` and `-`. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The inputs that do not need the manifest; `workload` is checked against it by `checkedWorkload`. */
export function readBuildInputs(): BuildInputs {
  const s3Bucket = optionalInput('s3-bucket');
  if (s3Bucket !== undefined && !BUCKET.test(s3Bucket)) {
    throw new ActionInputError(
      `input "s3-bucket" is "${s3Bucket}"; allowed: an S3 bucket name (3 to 63 lower-case letters, digits, "." or "-"), or empty to keep the zip local`,
    );
  }
  return {
    workload: requiredInput('workload', 'the workload to build, as the release manifest names it'),
    environment: optionalInput('environment'),
    manifest: optionalInput('manifest') ?? 'infra/aws/release-manifest.json',
    releaseBranch: optionalInput('release-branch') ?? 'main',
    s3Bucket,
    outDir: optionalInput('out-dir') ?? '.tollgate/build',
  };
}

/** The workload, if the manifest has it; the error lists the ones it has. */
export function checkedWorkload(workload: string, known: readonly string[], manifest: string): string {
  if (!known.includes(workload)) {
    throw new ActionInputError(
      `input "workload" is "${workload}"; allowed (the workloads of ${manifest}): ${known.map((name) => `"${name}"`).join(', ')}`,
    );
  }
  return workload;
}
