import { readFile, stat } from 'node:fs/promises';
import {
  type FunctionConfiguration,
  type GetFunctionCommandOutput,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { aws } from '../../aws/aws-error';
import { errorText } from '../../errors/error-text';
import type { ArtifactSource, Revision } from '../port';
import { releaseDescription, releaseOfVersion, UNRELEASED } from './release-description';

/** The SDK waiter's settings, in seconds as it counts them; tests make them short. */
export interface UpdateWait {
  maxWaitTime: number;
  minDelay: number;
  maxDelay: number;
}

/** A code update usually takes seconds; an image or a VPC function can take minutes. */
export const DEFAULT_UPDATE_WAIT: UpdateWait = { maxWaitTime: 600, minDelay: 2, maxDelay: 15 };

/** Lambda takes at most 50 MB of zipped code in the request itself; larger code must come from S3. */
const MAX_DIRECT_ZIP_BYTES = 50 * 1024 * 1024;

type Code = Pick<
  UpdateFunctionCodeRequest,
  'ZipFile' | 'S3Bucket' | 'S3Key' | 'S3ObjectVersion' | 'ImageUri'
>;

/**
 * Publishes `version` of the function from `source` without sending it traffic. $LATEST takes the
 * release's RELEASE_VERSION (the rest of its environment kept) and then its code, each update waited for
 * until Lambda is done; the version is published only if $LATEST is still exactly what Tollgate left
 * (RevisionId), so code or settings someone else changed meanwhile are never published as this release.
 */
export async function stageVersion(
  client: LambdaClient,
  functionName: string,
  version: string,
  source: ArtifactSource,
  wait: UpdateWait,
): Promise<Revision> {
  let latest = await updateStatus(client, functionName);
  if (latest.LastUpdateStatus === 'InProgress') latest = await settle(client, functionName, wait);
  const code = await codeOf(source);
  await aws(`set RELEASE_VERSION=${version} on ${functionName}`, () =>
    client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        Environment: { Variables: releaseEnvironment(latest, functionName, version) },
        ...(latest.RevisionId ? { RevisionId: latest.RevisionId } : {}),
      }),
    ),
  );
  checkUpdate(await settle(client, functionName, wait), functionName, `the settings of ${version}`);
  await aws(`upload the code of ${version} to ${functionName}`, () =>
    client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ...code })),
  );
  const staged = await settle(client, functionName, wait);
  checkUpdate(staged, functionName, `the code of ${version}`);
  const published = await aws(`publish ${version} as a version of ${functionName}`, () =>
    client.send(
      new PublishVersionCommand({
        FunctionName: functionName,
        Description: releaseDescription(version),
        ...(staged.CodeSha256 ? { CodeSha256: staged.CodeSha256 } : {}),
        ...(staged.RevisionId ? { RevisionId: staged.RevisionId } : {}),
      }),
    ),
  );
  return publishedRevision(functionName, version, published);
}

/** $LATEST's environment with the release's RELEASE_VERSION; refused when Lambda could not show it. */
function releaseEnvironment(
  latest: FunctionConfiguration,
  functionName: string,
  version: string,
): Record<string, string> {
  const error = latest.Environment?.Error;
  if (error) {
    throw new Error(
      `cannot read the environment of ${functionName} (${error.ErrorCode ?? 'error'}: ${error.Message ?? 'no message'}), so RELEASE_VERSION cannot be set without losing the rest; nothing was changed`,
    );
  }
  return { ...latest.Environment?.Variables, RELEASE_VERSION: version };
}

function checkUpdate(after: FunctionConfiguration, functionName: string, what: string): void {
  if (after.LastUpdateStatus === 'Successful') return;
  const why = [after.LastUpdateStatusReasonCode, after.LastUpdateStatusReason].filter(Boolean).join(': ');
  throw new Error(
    `Lambda could not update ${functionName} to ${what} (${after.LastUpdateStatus ?? 'no status'}: ${why || 'no reason given'}); nothing was published and traffic did not move`,
  );
}

/**
 * Lambda publishes no new version when neither code nor settings changed since the last one and returns
 * that one instead, which then carries some other release: never pass it off as this one.
 */
function publishedRevision(
  functionName: string,
  version: string,
  published: FunctionConfiguration,
): Revision {
  const ref = published.Version;
  if (!ref) throw new Error(`Lambda published ${version} of ${functionName} without a version number`);
  const carried = releaseOfVersion(published);
  if (carried !== version) {
    throw new Error(
      `Lambda returned version ${ref} of ${functionName}, which carries release ${carried === UNRELEASED ? 'none' : carried}, not ${version}; nothing moved, run the release again`,
    );
  }
  return { version, ref };
}

async function updateStatus(client: LambdaClient, functionName: string): Promise<FunctionConfiguration> {
  return aws(`read the update status of ${functionName}`, () =>
    client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
  );
}

/**
 * Waits with the SDK's waiter until the last update is no longer in progress, and returns how it ended.
 * The waiter treats every error (a throttle, a denied GetFunction) as "not yet" until it times out, so
 * when it gives up, one plain read says how the function stands, and fails loudly if it cannot.
 */
async function settle(
  client: LambdaClient,
  functionName: string,
  wait: UpdateWait,
): Promise<FunctionConfiguration> {
  try {
    const result = await waitUntilFunctionUpdatedV2({ client, ...wait }, { FunctionName: functionName });
    const read = result.reason as GetFunctionCommandOutput | undefined;
    return read?.Configuration ?? { LastUpdateStatus: 'Successful' };
  } catch (error) {
    const status = await updateStatus(client, functionName);
    if (status.LastUpdateStatus !== 'InProgress') return status;
    throw new Error(
      `${functionName} was still updating after ${wait.maxWaitTime} s (${errorText(error)}); nothing was published, run the release again once Lambda finished`,
    );
  }
}

async function codeOf(source: ArtifactSource): Promise<Code> {
  switch (source.kind) {
    case 'zip':
      return { ZipFile: await readZip(source.path) };
    case 's3':
      return {
        S3Bucket: source.bucket,
        S3Key: source.key,
        ...(source.versionId ? { S3ObjectVersion: source.versionId } : {}),
      };
    case 'image':
      return { ImageUri: source.uri };
  }
}

async function readZip(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorText(error);
    throw new Error(`cannot read the artifact ${path}: ${why}`);
  }
  if (size > MAX_DIRECT_ZIP_BYTES) {
    throw new Error(
      `the artifact ${path} is ${Math.ceil(size / 1024 / 1024)} MB; Lambda takes at most 50 MB uploaded directly, so upload it to S3 and release the S3 object`,
    );
  }
  return readFile(path);
}
