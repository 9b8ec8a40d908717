import { type Context, defaultTextMapSetter, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { HttpError } from '@securecart/shared/http';
import type { Order } from '@securecart/shared/order';
import type { Tracing } from '@securecart/shared/otel';
import { type RequestSigner, type SigV4Options, sigv4Signer } from './signing';

export type Fetch = typeof fetch;

export interface OrderClientOptions {
  /** order-processing's API base URL (API Gateway HTTP API stage URL). */
  baseUrl: string;
  tracing: Tracing;
  fetch?: Fetch;
  timeoutMs?: number;
  /**
   * Set when the API uses IAM authorisation: requests are SigV4-signed (`@smithy/signature-v4`) for
   * `execute-api` in `region` with `credentials` (static keys or a provider such as `fromNodeProviderChain()`).
   */
  sigv4?: SigV4Options;
}

/** Calls order-processing's POST /orders, traced as a CLIENT span with the X-Ray header propagated. */
export class OrderClient {
  private readonly fetch: Fetch;
  private readonly url: string;
  private readonly sign: RequestSigner | undefined;

  constructor(private readonly options: OrderClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/orders`;
    this.sign = options.sigv4 && sigv4Signer(options.sigv4);
  }

  async placeOrder(order: Order, idempotencyKey: string, parent: Context): Promise<{ orderId: string }> {
    const { tracer, propagator } = this.options.tracing;
    const span = tracer.startSpan('POST order-processing /orders', { kind: SpanKind.CLIENT }, parent);
    let headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    };
    propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
    const body = JSON.stringify(order);
    try {
      if (this.sign) headers = await this.sign({ method: 'POST', url: new URL(this.url), headers, body });
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

  private async interpret(response: Response): Promise<{ orderId: string }> {
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response.status === 202 && typeof body?.orderId === 'string') return { orderId: body.orderId };
    if (response.status === 400) {
      throw new HttpError(400, 'order_rejected', 'the order service rejected the order', body?.issues);
    }
    throw new HttpError(502, 'order_service_unavailable', `order service answered ${response.status}`);
  }
}
