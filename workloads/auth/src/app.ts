import type { Server } from 'node:http';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import {
  createJsonServer,
  HttpError,
  header,
  type JsonRequest,
  type JsonResponse,
} from '@securecart/shared/http';
import type { TokenService } from './tokens';
import type { UserStore } from './users';

export interface AuthDeps {
  telemetry: ServiceTelemetry;
  users: UserStore;
  tokens: TokenService;
}

function credentials(body: unknown): { username: string; password: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { username, password } = b;
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new HttpError(400, 'validation_failed', 'username and password are required strings');
  }
  if (username.length > 128 || password.length > 1024) {
    throw new HttpError(400, 'validation_failed', 'username or password is too long');
  }
  return { username, password };
}

/** POST /token: exchange valid credentials for a short-lived bearer token. */
async function issueToken(request: JsonRequest, deps: AuthDeps): Promise<JsonResponse> {
  const { username, password } = credentials(request.body);
  const subject = await deps.users.authenticate(username, password);
  const { metrics, logger } = deps.telemetry;
  if (!subject) {
    metrics.addMetric('LoginFailures', MetricUnit.Count, 1);
    logger.warn('login failed');
    throw new HttpError(401, 'invalid_credentials', 'username or password is wrong');
  }
  const { token, claims } = deps.tokens.issue(subject);
  metrics.addMetric('TokensIssued', MetricUnit.Count, 1);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: { access_token: token, token_type: 'Bearer', expires_in: claims.exp - claims.iat },
  };
}

/** GET /verify with `Authorization: Bearer <token>`: 200 with the claims, or 401 with the reason. */
function verifyToken(request: JsonRequest, deps: AuthDeps): JsonResponse {
  const authorization = header(request, 'authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match?.[1])
    throw new HttpError(401, 'invalid_token', 'send Authorization: Bearer <token>', { reason: 'missing' });
  const result = deps.tokens.verify(match[1]);
  if (!result.ok)
    throw new HttpError(401, 'invalid_token', 'the token is not valid', { reason: result.reason });
  return { status: 200, body: { active: true, sub: result.claims.sub, exp: result.claims.exp } };
}

export function createAuthServer(deps: AuthDeps): Server {
  return createJsonServer({
    telemetry: deps.telemetry,
    maxBodyBytes: 4096,
    routes: [
      { method: 'POST', path: '/token', handler: (request) => issueToken(request, deps) },
      { method: 'GET', path: '/verify', handler: (request) => verifyToken(request, deps) },
    ],
  });
}
