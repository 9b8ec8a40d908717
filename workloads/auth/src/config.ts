import { readFileSync } from 'node:fs';
import { MIN_KEY_BYTES } from './tokens';

export interface AuthConfig {
  signingKey: Buffer;
  usersJson: string;
  ttlSeconds: number;
}

/**
 * AUTH_SIGNING_KEY (base64, ≥32 bytes); the users as JSON, either inline in AUTH_USERS_JSON (how ECS injects
 * a Secrets Manager secret) or in the file AUTH_USERS_FILE (local runs, mounted files) — exactly one of the
 * two; AUTH_TOKEN_TTL_SECONDS (default 300).
 */
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
  const ttlSeconds = Number(env.AUTH_TOKEN_TTL_SECONDS?.trim() || '300');
  return { signingKey, usersJson: usersJson(env, readFile), ttlSeconds };
}

function usersJson(env: NodeJS.ProcessEnv, readFile: (path: string) => string): string {
  const inline = env.AUTH_USERS_JSON?.trim();
  const file = env.AUTH_USERS_FILE?.trim();
  if (inline && file) {
    throw new Error('set AUTH_USERS_JSON or AUTH_USERS_FILE, not both (which users would be meant?)');
  }
  if (inline) return inline;
  if (file) return readFile(file);
  throw new Error('AUTH_USERS_JSON (the users JSON) or AUTH_USERS_FILE (a path to it) is required');
}
