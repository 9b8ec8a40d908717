import { hashPassword, type ParsedHash, parseHash, verifyPassword } from './passwords';

export interface UserRecord {
  username: string;
  hash: ParsedHash;
}

/**
 * Users with scrypt password hashes, loaded from JSON: `{ "users": [{ "username": "…", "passwordHash":
 * "scrypt$…" }] }` (AUTH_USERS_FILE, typically mounted from Secrets Manager). Unknown users are checked
 * against a dummy hash so a wrong username costs as much time as a wrong password.
 */
export class UserStore {
  private constructor(
    private readonly users: ReadonlyMap<string, UserRecord>,
    private readonly dummy: ParsedHash,
  ) {}

  static async fromJson(json: string): Promise<UserStore> {
    const parsed = JSON.parse(json) as { users?: unknown };
    if (!Array.isArray(parsed.users)) throw new Error('users file must have a "users" array');
    const users = new Map<string, UserRecord>();
    parsed.users.forEach((entry: { username?: unknown; passwordHash?: unknown }, i) => {
      if (typeof entry.username !== 'string' || typeof entry.passwordHash !== 'string') {
        throw new Error(`users[${i}] needs a string username and passwordHash`);
      }
      try {
        users.set(entry.username.toLowerCase(), {
          username: entry.username,
          hash: parseHash(entry.passwordHash),
        });
      } catch (error) {
        throw new Error(`users[${i}] (${entry.username}): ${(error as Error).message}`);
      }
    });
    const first = users.values().next().value as UserRecord | undefined;
    const dummy = parseHash(await hashPassword('not-a-real-password', first?.hash.params));
    return new UserStore(users, dummy);
  }

  get size(): number {
    return this.users.size;
  }

  /** The canonical username when the credentials are right, otherwise undefined. */
  async authenticate(username: string, password: string): Promise<string | undefined> {
    const user = this.users.get(username.toLowerCase());
    const ok = await verifyPassword(password, user?.hash ?? this.dummy);
    return ok && user ? user.username : undefined;
  }
}
