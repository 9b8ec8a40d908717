import { setFailed } from '@actions/core';
import { DockerError } from '@tollgate/pipelines/artifacts/docker-error';
import { AwsCallError } from '@tollgate/pipelines/aws/aws-error';
import { GitError } from '@tollgate/pipelines/versioning/git-error';

/**
 * A build that failed for a reason the workflow can fix (no full git history, no docker or buildx, no
 * registry login, S3 refused): the step fails with that sentence, exit 1, not as an internal error.
 * Anything else goes on to runAction.
 */
export async function failingOnBuildErrors(build: () => Promise<void>): Promise<void> {
  try {
    await build();
  } catch (error) {
    if (error instanceof GitError || error instanceof DockerError || error instanceof AwsCallError) {
      setFailed(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
