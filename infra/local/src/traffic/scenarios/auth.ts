import { LOCAL_AUTH_USERS } from '../../runtime/local-auth';
import { pick } from '../seeded-random';
import type { Scenario, ScenarioOptions } from './scenario';

/** Tokens are verified only while well inside auth's default 300 s lifetime. */
const TOKEN_USE_MS = 240_000;
const KEPT_TOKENS = 20;
const LOGIN_SHARE = 0.25;

/**
 * Shoppers logging in (POST /token with the local users the runtime gives auth) and services verifying
 * their bearer tokens (GET /verify): about one login for every three verifications.
 */
export function authScenario({ random, clientErrorShare }: ScenarioOptions): Scenario {
  const tokens: { token: string; issuedAt: number }[] = [];
  const keep = (_status: number, body: unknown) => {
    const token = (body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof token !== 'string') return;
    tokens.push({ token, issuedAt: Date.now() });
    if (tokens.length > KEPT_TOKENS) tokens.shift();
  };
  const login = (wrongPassword: boolean) => {
    const user = pick(random, LOCAL_AUTH_USERS);
    const password = wrongPassword ? `${user.password}-typo` : user.password;
    return {
      kind: 'http' as const,
      method: 'POST' as const,
      path: '/token',
      headers: { 'content-type': 'application/json' },
      body: { username: user.username, password },
      onAnswer: keep,
    };
  };
  return {
    entry: 'http',
    next: () => {
      // A client's mistake: a mistyped password (401).
      if (random() < clientErrorShare) return login(true);
      while (tokens.length > 0 && Date.now() - (tokens[0]?.issuedAt ?? 0) > TOKEN_USE_MS) tokens.shift();
      if (tokens.length === 0 || random() < LOGIN_SHARE) return login(false);
      const { token } = pick(random, tokens);
      return { kind: 'http', method: 'GET', path: '/verify', headers: { authorization: `Bearer ${token}` } };
    },
  };
}
