const BUILDX_MISSING = /unknown command: docker buildx|'buildx' is not a docker command/;

/**
 * The docker CLI's exit code for a command line it cannot parse. The arguments are fixed and valid for
 * buildx, so an unknown flag means the CLI has no buildx plugin and read them as its own.
 */
const USAGE_ERROR = 125;

function isUnknownFlag(line: string): boolean {
  return /^unknown (shorthand )?flag:/.test(line);
}

/**
 * One sentence for a failed `docker buildx build`, from its exit code and the end of its standard
 * error: the causes a workflow author can fix get their own, everything else the last line docker said.
 */
export function dockerFailure(exitCode: number | null, stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (
    lines.some((line) => BUILDX_MISSING.test(line)) ||
    (exitCode === USAGE_ERROR && lines.some(isUnknownFlag))
  ) {
    return 'docker buildx is not installed: the image is built with buildx (docker/setup-buildx-action in the workflow)';
  }
  const daemon = lines.find((line) => /Cannot connect to the Docker daemon|error during connect/i.test(line));
  if (daemon) return `cannot reach the Docker daemon: ${daemon}`;
  const denied = lines.find((line) => /unauthorized|denied|no basic auth credentials/i.test(line));
  if (denied) {
    return `the registry refused the push (log in to ECR first: aws-actions/amazon-ecr-login): ${denied}`;
  }
  const last = lines.at(-1) ?? 'no output';
  return `docker buildx build failed (exit ${exitCode ?? 'by signal'}): ${last}`;
}
