import { createServiceTelemetry } from '../../shared/container-telemetry';
import { serve } from '../../shared/http';
import { createCheckoutServer } from './app';
import { OrderClient } from './order-client';

const baseUrl = process.env.ORDER_API_URL?.trim();
if (!baseUrl) {
  console.error('checkout: ORDER_API_URL is required (order-processing API base URL)');
  process.exit(1);
}
const telemetry = createServiceTelemetry('checkout', { register: true });
const orders = new OrderClient({ baseUrl, tracing: telemetry.tracing });
void serve(createCheckoutServer({ telemetry, orders }), telemetry);
