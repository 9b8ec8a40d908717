import { type Context, defaultTextMapSetter, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { HttpError } from '../../shared/http';
import type { Order } from '../../shared/order';
import type { Tracing } from '../../shared/otel';
import type { CredentialProvider } from './aws-credentials';
import { signRequest } from './sigv4';

export type Fetch = typeof fetch;

export interface OrderClientOptions {
  /** order-processing's API base URL (API Gateway HTTP API stage URL). */
  baseUrl: string;
  tracing: Tracing;
  fetch?: Fetch;
  timeoutMs?: number;
  /** Set when the API uses IAM authorisation: requests are SigV4-signed for `execute-api` in `region`. */
  sigv4?: { region: string; credentials: CredentialProvider; now?: () => Date };
}

/** Calls order-processing's POST /orders, traced as a CLIENT span with the X-Ray header propagated. */
export class OrderClient {
  private readonly fetch: Fetch;
  private readonly url: string;

  constructor(private readonly options: OrderClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/orders`;
  }

  async placeOrder(order: Order, idempotencyKey: string, parent: Context): Promise<{ orderId: string }> {
    const { tracer, propagator } = this.options.tracing;
    const span = tracer.startSpan('POST order-processing /orders', { kind: SpanKind.CLIENT }, parent);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    };
    propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
    const body = JSON.stringify(order);
    try {
      Object.assign(headers, await this.signatureHeaders(body));
      const response = await this.fetch(this.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      span.setAttribute('http.response.status_code', response.status);
      return await this.interpret(response);
    } catch (error) {
      const fault = !(error instanceof HttpError) || error.status >= 500;
      if (fault) span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      if (error instanceof HttpError) throw error;
      throw new HttpError(
        502,
        'order_service_unavailable',
        'could not reach the order service; please retry',
      );
    } finally {
      span.end();
    }
  }

  private async signatureHeaders(body: string): Promise<Record<string, string>> {
    const sigv4 = this.options.sigv4;
    if (!sigv4) return {};
    const credentials = await sigv4.credentials();
    const now = sigv4.now?.() ?? new Date();
    return signRequest({ method: 'POST', url: new URL(this.url), body }, credentials, {
      region: sigv4.region,
      service: 'execute-api',
      now,
    });
  }

  private async interpret(response: Response): Promise<{ orderId: string }> {
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response.status === 202 && typeof body?.orderId === 'string') return { orderId: body.orderId };
    if (response.status === 400) {
      throw new HttpError(400, 'order_rejected', 'the order service rejected the order', body?.issues);
    }
    throw new HttpError(502, 'order_service_unavailable', `order service answered ${response.status}`);
  }
}
