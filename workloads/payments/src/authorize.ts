import { SUPPORTED_CURRENCIES } from '@securecart/shared/order';
import { PaymentDeclined, PaymentProviderUnavailable } from './errors';
import type { AuthorizationRequest, PaymentProvider } from './provider';

/** Largest single authorisation per currency, in minor units. */
export const DEFAULT_LIMITS: Readonly<Record<string, number>> = {
  USD: 500_000,
  EUR: 450_000,
  GBP: 400_000,
};

export interface PaymentInput {
  orderId: string;
  customerId?: string;
  paymentToken: string;
  amount: number;
  currency: string;
}

export interface PaymentAuthorized {
  orderId: string;
  status: 'AUTHORIZED';
  authorizationId: string;
  amount: number;
  currency: string;
  provider: string;
}

export interface AuthorizeOptions {
  provider: PaymentProvider;
  limits?: Readonly<Record<string, number>>;
  timeoutMs?: number;
}

export function parsePaymentInput(event: unknown): PaymentInput {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const { orderId, paymentToken, amount, currency } = e;
  if (typeof orderId !== 'string' || orderId === '') throw invalid('orderId is required');
  if (typeof paymentToken !== 'string' || !paymentToken.startsWith('tok_')) {
    throw invalid('paymentToken must be a card token starting with "tok_"');
  }
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
    throw invalid('amount must be a positive integer in minor units');
  }
  if (typeof currency !== 'string') throw invalid('currency is required');
  if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(currency)) {
    throw new PaymentDeclined('unsupported_currency', `currency ${currency} is not supported`);
  }
  return { orderId, paymentToken, amount, currency };
}

function invalid(message: string): PaymentDeclined {
  return new PaymentDeclined('invalid_request', message);
}

/** Authorises one payment: limit check first (no provider call), then the provider with a timeout. */
export async function authorizePayment(
  input: PaymentInput,
  options: AuthorizeOptions,
): Promise<PaymentAuthorized> {
  const limit = (options.limits ?? DEFAULT_LIMITS)[input.currency];
  if (limit === undefined)
    throw new PaymentDeclined('unsupported_currency', `no limit set for ${input.currency}`);
  if (input.amount > limit) {
    throw new PaymentDeclined(
      'over_limit',
      `amount ${input.amount} exceeds the ${input.currency} limit of ${limit}`,
    );
  }
  const request: AuthorizationRequest = { ...input };
  const result = await withTimeout(options.provider.authorize(request), options.timeoutMs ?? 3000);
  if (result.status === 'declined')
    throw new PaymentDeclined(result.reason, `provider declined ${input.orderId}`);
  return {
    orderId: input.orderId,
    status: 'AUTHORIZED',
    authorizationId: result.authorizationId,
    amount: input.amount,
    currency: input.currency,
    provider: options.provider.name,
  };
}

/** A provider that does not answer in time is a transient failure: the workflow retries. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PaymentProviderUnavailable(`provider did not answer in ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (error instanceof PaymentProviderUnavailable || error instanceof PaymentDeclined) throw error;
    throw new PaymentProviderUnavailable('provider call failed', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
