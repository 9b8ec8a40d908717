import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { createServiceTelemetry } from '@securecart/shared/container-telemetry';
import { serve } from '@securecart/shared/http';
import { createCheckoutServer } from './app';
import { OrderClient } from './order-client';
import { executeApiRegion } from './signing';

const baseUrl = process.env.ORDER_API_URL?.trim();
if (!baseUrl) {
  console.error('checkout: ORDER_API_URL is required (order-processing API base URL)');
  process.exit(1);
}
const telemetry = createServiceTelemetry('checkout', { register: true });
// execute-api URLs are IAM-authorised: sign for the API's region (from its host name) with the task role.
// ORDER_API_SIGV4_REGION forces signing (custom domain names); other URLs (local runs) are called unsigned.
// The SDK's default chain finds the task role through the ECS credentials endpoint (static keys or a profile
// elsewhere) and memoizes it, refreshing 5 minutes before it expires; built once, shared by every request.
const region = process.env.ORDER_API_SIGV4_REGION?.trim() || executeApiRegion(new URL(baseUrl));
const sigv4 = region ? { region, credentials: fromNodeProviderChain() } : undefined;
telemetry.logger.info('order API client', { baseUrl, signing: region ? `sigv4 ${region}` : 'none' });
const orders = new OrderClient({ baseUrl, tracing: telemetry.tracing, ...(sigv4 ? { sigv4 } : {}) });
void serve(createCheckoutServer({ telemetry, orders }), telemetry);
