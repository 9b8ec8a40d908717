import { readFileSync } from 'node:fs';
import { MIN_KEY_BYTES } from './tokens';

export interface AuthConfig {
  signingKey: Buffer;
  usersJson: string;
  ttlSeconds: number;
}

/** AUTH_SIGNING_KEY (base64, ≥32 bytes), AUTH_USERS_FILE (JSON path), AUTH_TOKEN_TTL_SECONDS (default 300). */
export function loadAuthConfig(
  env: NodeJS.ProcessEnv,
  readFile = (path: string) => readFileSync(path, 'utf8'),
): AuthConfig {
  const rawKey = env.AUTH_SIGNING_KEY?.trim();
  if (!rawKey) throw new Error('AUTH_SIGNING_KEY is required (base64, at least 32 bytes)');
  const signingKey = Buffer.from(rawKey, 'base64');
  if (signingKey.length < MIN_KEY_BYTES) {
    throw new Error(
      `AUTH_SIGNING_KEY decodes to ${signingKey.length} bytes; at least ${MIN_KEY_BYTES} are required`,
    );
  }
  const usersFile = env.AUTH_USERS_FILE?.trim();
  if (!usersFile) throw new Error('AUTH_USERS_FILE is required (path to the users JSON)');
  const ttlSeconds = Number(env.AUTH_TOKEN_TTL_SECONDS?.trim() || '300');
  return { signingKey, usersJson: readFile(usersFile), ttlSeconds };
}
