import { createServiceTelemetry } from '@securecart/shared/container-telemetry';
import { serve } from '@securecart/shared/http';
import { createAuthServer } from './app';
import { loadAuthConfig } from './config';
import { TokenService } from './tokens';
import { UserStore } from './users';

async function main(): Promise<void> {
  const config = loadAuthConfig(process.env);
  const telemetry = createServiceTelemetry('auth', { register: true });
  const users = await UserStore.fromJson(config.usersJson);
  const tokens = new TokenService(config.signingKey, config.ttlSeconds);
  telemetry.logger.info('users loaded', { count: users.size });
  await serve(createAuthServer({ telemetry, users, tokens }), telemetry);
}

main().catch((error: unknown) => {
  console.error(`auth: ${(error as Error).message}`);
  process.exit(1);
});
