import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import {
  createJsonServer,
  HttpError,
  header,
  type JsonRequest,
  type JsonResponse,
} from '@securecart/shared/http';
import { validateOrder } from '@securecart/shared/order';
import type { OrderClient } from './order-client';
import { computeTotals, SHIPPING_METHODS, type ShippingMethod, UnsupportedDestination } from './pricing';

export interface CheckoutDeps {
  telemetry: ServiceTelemetry;
  orders: OrderClient;
  newKey?: () => string;
}

function shippingMethodOf(body: Record<string, unknown>): ShippingMethod {
  const method = body.shippingMethod ?? 'standard';
  const found = SHIPPING_METHODS.find((m) => m === method);
  if (!found) {
    throw new HttpError(400, 'validation_failed', 'the cart is invalid', [
      { field: 'shippingMethod', message: `must be one of ${SHIPPING_METHODS.join(', ')}` },
    ]);
  }
  return found;
}

/** POST /checkout: price the cart (tax, shipping), then place the order with order-processing. */
async function checkout(request: JsonRequest, deps: CheckoutDeps): Promise<JsonResponse> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'validation_failed', 'body must be a JSON object');
  }
  const cart = body as Record<string, unknown>;
  const method = shippingMethodOf(cart);
  // "Billing same as shipping" is the default when no billing address is given.
  const candidate = {
    ...cart,
    billingAddress: cart.billingAddress ?? cart.shippingAddress,
    tax: 0,
    shipping: 0,
  };
  const validation = validateOrder(candidate);
  if (!validation.ok) throw new HttpError(400, 'validation_failed', 'the cart is invalid', validation.issues);
  const order = validation.value;
  let totals: ReturnType<typeof computeTotals>;
  try {
    totals = computeTotals(order.items, order.shippingAddress.country, method);
  } catch (error) {
    if (error instanceof UnsupportedDestination)
      throw new HttpError(400, 'unsupported_destination', error.message);
    throw error;
  }
  const key = header(request, 'idempotency-key') ?? (deps.newKey ?? randomUUID)();
  const placed = await deps.orders.placeOrder(
    { ...order, tax: totals.tax, shipping: totals.shipping },
    key,
    request.traceContext,
  );
  deps.telemetry.logger.info('checkout complete', { orderId: placed.orderId, total: totals.total });
  return { status: 202, body: { orderId: placed.orderId, currency: order.currency, ...totals } };
}

export function createCheckoutServer(deps: CheckoutDeps): Server {
  return createJsonServer({
    telemetry: deps.telemetry,
    routes: [{ method: 'POST', path: '/checkout', handler: (request) => checkout(request, deps) }],
  });
}
