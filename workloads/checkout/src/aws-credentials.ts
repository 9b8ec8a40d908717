import { readFile } from 'node:fs/promises';
import type { AwsCredentials } from './sigv4';

export type CredentialProvider = () => Promise<AwsCredentials>;

/** The ECS task metadata endpoint that serves the task role's credentials. */
export const ECS_CREDENTIALS_HOST = 'http://169.254.170.2';
const REFRESH_BEFORE_MS = 5 * 60_000;

interface ContainerCredentials {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  Token?: string;
  Expiration?: string;
}

async function fromContainerEndpoint(env: NodeJS.ProcessEnv, fetchFn: typeof fetch): Promise<AwsCredentials> {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const url = relative
    ? `${ECS_CREDENTIALS_HOST}${relative}`
    : (env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '');
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  const token = tokenFile
    ? (await readFile(tokenFile, 'utf8')).trim()
    : env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  const response = await fetchFn(url, {
    headers: token ? { authorization: token } : {},
    signal: AbortSignal.timeout(2000),
  });
  if (!response.ok) throw new Error(`container credentials endpoint answered ${response.status}`);
  const body = (await response.json()) as ContainerCredentials;
  if (!body.AccessKeyId || !body.SecretAccessKey)
    throw new Error('container credentials response lacks keys');
  return {
    accessKeyId: body.AccessKeyId,
    secretAccessKey: body.SecretAccessKey,
    ...(body.Token ? { sessionToken: body.Token } : {}),
    ...(body.Expiration ? { expiration: new Date(body.Expiration) } : {}),
  };
}

/**
 * Credentials the way the AWS SDKs find them in a container: static keys from the environment, else the
 * ECS/EKS container credentials endpoint (task role), cached until five minutes before they expire.
 */
export function credentialsFromEnvironment(
  env: NodeJS.ProcessEnv,
  fetchFn: typeof fetch = fetch,
  now: () => Date = () => new Date(),
): CredentialProvider {
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: session } = env;
  if (id && secret) {
    const fixed: AwsCredentials = {
      accessKeyId: id,
      secretAccessKey: secret,
      ...(session ? { sessionToken: session } : {}),
    };
    return async () => fixed;
  }
  if (!env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI && !env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    return async () => {
      throw new Error(
        'no AWS credentials: no task role endpoint and no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      );
    };
  }
  let cached: AwsCredentials | undefined;
  return async () => {
    const fresh =
      cached && (!cached.expiration || cached.expiration.getTime() - REFRESH_BEFORE_MS > now().getTime());
    if (!fresh) cached = await fromContainerEndpoint(env, fetchFn);
    return cached as AwsCredentials;
  };
}
