import { placedOrder } from './orders';
import type { Scenario, ScenarioOptions } from './scenario';

/** The API Gateway HTTP API (payload format 2.0) event for `POST /orders`, as checkout's calls arrive. */
function apiGatewayEvent(body: unknown, idempotencyKey: string, requestId: string): Record<string, unknown> {
  const now = Date.now();
  const text = JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      'idempotency-key': idempotencyKey,
      host: 'orders.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'securecart-checkout',
    },
    requestContext: {
      accountId: '111111111111',
      apiId: 'orders',
      domainName: 'orders.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'orders',
      http: {
        method: 'POST',
        path: '/orders',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'securecart-checkout',
      },
      requestId,
      routeKey: 'POST /orders',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: text,
    isBase64Encoded: false,
  };
}

/**
 * Orders placed through the HTTP API. A client's mistake (an order without items) is answered 400 by the
 * function, not thrown, so it is no Lambda error.
 */
export function orderProcessingScenario({ random, clientErrorShare }: ScenarioOptions): Scenario {
  let n = 0;
  const run = Math.floor(random() * 1e9).toString(36);
  return {
    entry: 'invoke',
    next: () => {
      n += 1;
      const order = placedOrder(random, n);
      const body = random() < clientErrorShare ? { ...order, items: [] } : order;
      return { kind: 'invoke', payload: apiGatewayEvent(body, `order-${run}-${n}`, `req-${run}-${n}`) };
    },
  };
}
