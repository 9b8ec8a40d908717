import { fakeLambdaContext } from '@securecart/testing/lambda-context';
import { describe, expect, it, vi } from 'vitest';
import { authorizePayment } from '../src/authorize';
import { PaymentDeclined, PaymentProviderUnavailable } from '../src/errors';
import { FakePaymentProvider, type PaymentProvider, providerFromEnv } from '../src/provider';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.RELEASE_VERSION = '2.0.1';
});

const { handler, obs } = await import('../src/handler');

const ctx = fakeLambdaContext('payments');
const payment = (overrides: Record<string, unknown> = {}) => ({
  orderId: 'ord_1',
  paymentToken: 'tok_visa_4242',
  amount: 12_500,
  currency: 'USD',
  ...overrides,
});

async function failure(event: unknown): Promise<Error> {
  try {
    await handler(event, ctx);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the handler to throw');
}

describe('payments handler', () => {
  it('authorises a valid payment with a deterministic authorization id', async () => {
    const a = await handler(payment(), ctx);
    const b = await handler(payment(), ctx);
    expect(a).toMatchObject({ orderId: 'ord_1', status: 'AUTHORIZED', amount: 12_500, currency: 'USD' });
    expect(a.authorizationId).toMatch(/^auth_[0-9a-f]{20}$/);
    expect(b.authorizationId).toBe(a.authorizationId);
  });

  it('declines over the currency limit', async () => {
    const error = await failure(payment({ amount: 500_001 }));
    expect(error).toBeInstanceOf(PaymentDeclined);
    expect(error.name).toBe('PaymentDeclined');
    expect((error as PaymentDeclined).reason).toBe('over_limit');
  });

  it('accepts exactly the limit', async () => {
    await expect(handler(payment({ amount: 500_000 }), ctx)).resolves.toMatchObject({ status: 'AUTHORIZED' });
  });

  it.each([
    ['tok_decline_1', 'card_declined'],
    ['tok_insufficient_1', 'insufficient_funds'],
  ])('turns a provider decline (%s) into non-retryable PaymentDeclined(%s)', async (token, reason) => {
    const error = (await failure(payment({ paymentToken: token }))) as PaymentDeclined;
    expect(error.name).toBe('PaymentDeclined');
    expect(error.reason).toBe(reason);
    expect(error.retryable).toBe(false);
  });

  it('reports a provider outage as retryable PaymentProviderUnavailable', async () => {
    const error = await failure(payment({ paymentToken: 'tok_unavailable' }));
    expect(error.name).toBe('PaymentProviderUnavailable');
    expect((error as PaymentProviderUnavailable).retryable).toBe(true);
  });

  it.each([
    [{ amount: 10.5 }, 'invalid_request'],
    [{ amount: 0 }, 'invalid_request'],
    [{ paymentToken: '4242424242424242' }, 'invalid_request'],
    [{ orderId: undefined }, 'invalid_request'],
    [{ currency: 'JPY' }, 'unsupported_currency'],
  ])('declines invalid input %o as %s', async (overrides, reason) => {
    const error = (await failure(payment(overrides))) as PaymentDeclined;
    expect(error).toBeInstanceOf(PaymentDeclined);
    expect(error.reason).toBe(reason);
  });

  it('annotates the trace with release and order id', async () => {
    const annotate = vi.spyOn(obs.tracer, 'putAnnotation');
    await handler(payment(), ctx);
    expect(annotate).toHaveBeenCalledWith('release', '2.0.1');
    expect(annotate).toHaveBeenCalledWith('orderId', 'ord_1');
  });
});

describe('authorizePayment with other providers', () => {
  it('treats a provider that hangs past the timeout as retryable', async () => {
    const hanging: PaymentProvider = { name: 'hang', authorize: () => new Promise(() => undefined) };
    await expect(authorizePayment(payment(), { provider: hanging, timeoutMs: 20 })).rejects.toBeInstanceOf(
      PaymentProviderUnavailable,
    );
  });

  it('wraps an unexpected provider error as retryable, keeping the cause', async () => {
    const broken: PaymentProvider = {
      name: 'broken',
      authorize: async () => {
        throw new Error('ECONNRESET');
      },
    };
    const error: unknown = await authorizePayment(payment(), { provider: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderUnavailable);
    expect(((error as Error).cause as Error).message).toBe('ECONNRESET');
  });

  it('honours custom limits and never asks the provider about an over-limit amount', async () => {
    const fake = new FakePaymentProvider();
    const authorize = vi.fn(fake.authorize.bind(fake));
    const provider: PaymentProvider = { name: 'spy', authorize };
    await expect(
      authorizePayment(payment({ amount: 101 }), { provider, limits: { USD: 100 } }),
    ).rejects.toThrow(/over_limit/);
    expect(authorize).not.toHaveBeenCalled();
    await expect(
      authorizePayment(payment({ amount: 100 }), { provider, limits: { USD: 100 } }),
    ).resolves.toMatchObject({ provider: 'spy' });
  });

  it('refuses an unknown provider name instead of falling back', () => {
    expect(() => providerFromEnv({ PAYMENT_PROVIDER: 'stripe' })).toThrow(
      /unknown PAYMENT_PROVIDER "stripe"/,
    );
    expect(providerFromEnv({}).name).toBe('fake');
  });
});
