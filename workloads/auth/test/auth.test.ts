import { randomBytes } from 'node:crypto';
import { postJson, startServer, testTelemetry } from '@securecart/testing/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthServer } from '../src/app';
import { loadAuthConfig } from '../src/config';
import { hashPassword, parseHash, verifyPassword } from '../src/passwords';
import { TokenService } from '../src/tokens';
import { UserStore } from '../src/users';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const FAST = { N: 1024, r: 8, p: 1 };
const key = randomBytes(32);
let clock = 1_700_000_000;
const tokens = new TokenService(key, 300, () => clock);
const users = await UserStore.fromJson(
  JSON.stringify({ users: [{ username: 'Ada', passwordHash: await hashPassword('correct horse', FAST) }] }),
);
const { telemetry } = testTelemetry('auth');
const app = await startServer(createAuthServer({ telemetry, users, tokens }), telemetry);

const login = (username: string, password: string) => app.request('/token', postJson({ username, password }));
const verify = (token?: string) =>
  app.request('/verify', token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

describe('passwords', () => {
  it('hashes with a random salt and verifies only the right password', async () => {
    const a = await hashPassword('s3cret-pass', FAST);
    const b = await hashPassword('s3cret-pass', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret-pass', parseHash(a))).toBe(true);
    expect(await verifyPassword('s3cret-pasS', parseHash(a))).toBe(false);
  });

  it('rejects malformed hashes with a reason', () => {
    expect(() => parseHash('bcrypt$2b$10$abc')).toThrow(/scrypt\$N\$r\$p\$salt\$key/);
    expect(() => parseHash('scrypt$1000$8$1$c2FsdA$a2V5')).toThrow(/invalid scrypt parameters/);
  });

  it('names the bad entry in the users file', async () => {
    await expect(
      UserStore.fromJson(JSON.stringify({ users: [{ username: 'bob', passwordHash: 'plain' }] })),
    ).rejects.toThrow(/users\[0\] \(bob\)/);
  });
});

describe('POST /token and GET /verify', () => {
  let token = '';
  beforeAll(() => {
    clock = 1_700_000_000;
  });

  it('issues a bearer token for valid credentials (username is case-insensitive)', async () => {
    const { status, body, headers } = await login('ada', 'correct horse');
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(headers.get('cache-control')).toBe('no-store');
    token = body.access_token;
  });

  it('verifies the token and returns its subject', async () => {
    const { status, body } = await verify(token);
    expect(status).toBe(200);
    expect(body).toEqual({ active: true, sub: 'Ada', exp: 1_700_000_300 });
  });

  it.each([
    ['wrong password', 'Ada', 'Tr0ub4dor&3'],
    ['unknown user', 'mallory', 'correct horse'],
  ])('answers the same 401 for a %s', async (_label, username, password) => {
    const { status, body } = await login(username, password);
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'invalid_credentials', message: 'username or password is wrong' });
  });

  it('rejects missing fields with 400', async () => {
    expect((await app.request('/token', postJson({ username: 'Ada' }))).status).toBe(400);
  });

  it('rejects a tampered token, a token signed with another key, and garbage', async () => {
    const [v, , sig] = token.split('.');
    const forgedClaims = Buffer.from(
      JSON.stringify({ sub: 'admin', iat: clock, exp: clock + 9999, jti: 'x' }),
    );
    expect((await verify(`${v}.${forgedClaims.toString('base64url')}.${sig}`)).body.details).toEqual({
      reason: 'bad_signature',
    });
    const other = new TokenService(randomBytes(32), 300, () => clock).issue('Ada').token;
    expect((await verify(other)).body.details.reason).toBe('bad_signature');
    expect((await verify('not-a-token')).body.details.reason).toBe('malformed');
    expect((await verify()).body.details.reason).toBe('missing');
  });

  it('rejects the token once it has expired', async () => {
    clock += 300;
    const { status, body } = await verify(token);
    expect(status).toBe(401);
    expect(body.details.reason).toBe('expired');
  });
});

describe('loadAuthConfig', () => {
  const files = { '/etc/users.json': '{"users":[]}' } as Record<string, string>;
  const read = (path: string) => files[path] ?? '';

  it('requires a signing key of at least 32 bytes and the users (inline or as a file)', () => {
    expect(() => loadAuthConfig({}, read)).toThrow(/AUTH_SIGNING_KEY is required/);
    expect(() => loadAuthConfig({ AUTH_SIGNING_KEY: Buffer.alloc(16).toString('base64') }, read)).toThrow(
      /16 bytes/,
    );
    expect(() => loadAuthConfig({ AUTH_SIGNING_KEY: key.toString('base64') }, read)).toThrow(
      /AUTH_USERS_JSON .* or AUTH_USERS_FILE/,
    );
  });

  it('refuses both AUTH_USERS_JSON and AUTH_USERS_FILE rather than pick one silently', () => {
    const env = {
      AUTH_SIGNING_KEY: key.toString('base64'),
      AUTH_USERS_JSON: '{"users":[]}',
      AUTH_USERS_FILE: '/etc/users.json',
    };
    expect(() => loadAuthConfig(env, read)).toThrow(/not both/);
  });

  it('takes the users from AUTH_USERS_JSON, as ECS injects them from Secrets Manager', async () => {
    const hash = await hashPassword('s3cret!', FAST);
    const config = loadAuthConfig(
      {
        AUTH_SIGNING_KEY: key.toString('base64'),
        AUTH_USERS_JSON: JSON.stringify({ users: [{ username: 'ops', passwordHash: hash }] }),
      },
      () => {
        throw new Error('no file should be read');
      },
    );
    const users = await UserStore.fromJson(config.usersJson);
    expect(await users.authenticate('OPS', 's3cret!')).toBe('ops');
  });

  it('accepts the signing key the infra generates (64 alphanumerics from Secrets Manager = 48 bytes)', () => {
    const generated = 'aZ3'.repeat(21).concat('Q');
    expect(generated).toMatch(/^[A-Za-z0-9]{64}$/);
    const config = loadAuthConfig({ AUTH_SIGNING_KEY: generated, AUTH_USERS_JSON: '{"users":[]}' });
    expect(config.signingKey.length).toBe(48);
  });

  it('reads the users file and the TTL', () => {
    const config = loadAuthConfig(
      {
        AUTH_SIGNING_KEY: key.toString('base64'),
        AUTH_USERS_FILE: '/etc/users.json',
        AUTH_TOKEN_TTL_SECONDS: '60',
      },
      read,
    );
    expect(config).toMatchObject({ usersJson: '{"users":[]}', ttlSeconds: 60 });
    expect(() => new TokenService(config.signingKey, 7200)).toThrow(/1-3600/);
  });
});
