import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived bearer tokens: `v1.<claims b64url>.<HMAC-SHA256 b64url>` over `v1.<claims>`. Claims:
 * sub, iat, exp (epoch seconds), jti. Not a JWT on purpose: one algorithm, nothing to negotiate.
 */
export interface Claims {
  sub: string;
  iat: number;
  exp: number;
  jti: string;
}

export type Verification =
  | { ok: true; claims: Claims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export const MIN_KEY_BYTES = 32;

export class TokenService {
  constructor(
    private readonly key: Buffer,
    readonly ttlSeconds: number,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    if (key.length < MIN_KEY_BYTES) throw new Error(`signing key must be at least ${MIN_KEY_BYTES} bytes`);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 3600) {
      throw new Error('token TTL must be 1-3600 seconds');
    }
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }

  issue(subject: string): { token: string; claims: Claims } {
    const iat = this.now();
    const claims: Claims = { sub: subject, iat, exp: iat + this.ttlSeconds, jti: randomUUID() };
    const body = `v1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return { token: `${body}.${this.sign(body).toString('base64url')}`, claims };
  }

  verify(token: string): Verification {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1' || !parts[1] || !parts[2])
      return { ok: false, reason: 'malformed' };
    const expected = this.sign(`v1.${parts[1]}`);
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'bad_signature' };
    }
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.exp !== 'number' || claims.exp <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }
}
