import { createHash, scryptSync } from 'node:crypto';

/**
 * What the auth workload needs to start locally, in place of the Secrets Manager secrets ECS injects:
 * a FIXED signing key and a FIXED set of users (local test credentials, public on purpose, never used in
 * AWS). The hashes use auth's own format and its default scrypt cost (N=16384, r=8, p=1), so a login costs
 * locally what it costs in AWS; salts derive from the username, so the users JSON is the same every run.
 */
export interface LocalUser {
  username: string;
  password: string;
}

export const LOCAL_AUTH_USERS: readonly LocalUser[] = [
  { username: 'ada', password: 'local-ada-analytical-engine' },
  { username: 'grace', password: 'local-grace-compiler-1952' },
  { username: 'alan', password: 'local-alan-universal-machine' },
  { username: 'katherine', password: 'local-katherine-orbital-math' },
  { username: 'edsger', password: 'local-edsger-shortest-path' },
];

/** base64 of 32 bytes: sha256 of a fixed phrase. */
export const LOCAL_AUTH_SIGNING_KEY = createHash('sha256')
  .update('tollgate local cloud: auth signing key (local only)')
  .digest('base64');

const COST = { N: 16_384, r: 8, p: 1 };

function passwordHash(user: LocalUser): string {
  const salt = createHash('sha256').update(`tollgate-local-salt:${user.username}`).digest().subarray(0, 16);
  const key = scryptSync(user.password.normalize('NFKC'), salt, 32, {
    ...COST,
    maxmem: 256 * COST.N * COST.r,
  });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

let usersJson: string | undefined;

/** `{ "users": [{ username, passwordHash }] }` as AUTH_USERS_JSON carries it; computed once (scrypt is slow). */
export function localAuthUsersJson(): string {
  usersJson ??= JSON.stringify({
    users: LOCAL_AUTH_USERS.map((user) => ({ username: user.username, passwordHash: passwordHash(user) })),
  });
  return usersJson;
}
