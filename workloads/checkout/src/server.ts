import { createServiceTelemetry } from '../../shared/container-telemetry';
import { serve } from '../../shared/http';
import { createCheckoutServer } from './app';
import { credentialsFromEnvironment } from './aws-credentials';
import { OrderClient } from './order-client';
import { executeApiRegion } from './sigv4';

const baseUrl = process.env.ORDER_API_URL?.trim();
if (!baseUrl) {
  console.error('checkout: ORDER_API_URL is required (order-processing API base URL)');
  process.exit(1);
}
const telemetry = createServiceTelemetry('checkout', { register: true });
// execute-api URLs are IAM-authorised: sign with the task role. ORDER_API_SIGV4_REGION forces signing
// (custom domain names); other URLs (local runs) are called unsigned.
const region = process.env.ORDER_API_SIGV4_REGION?.trim() || executeApiRegion(new URL(baseUrl));
const sigv4 = region ? { region, credentials: credentialsFromEnvironment(process.env) } : undefined;
telemetry.logger.info('order API client', { baseUrl, signing: region ? `sigv4 ${region}` : 'none' });
const orders = new OrderClient({ baseUrl, tracing: telemetry.tracing, ...(sigv4 ? { sigv4 } : {}) });
void serve(createCheckoutServer({ telemetry, orders }), telemetry);
