import { createHash } from 'node:crypto';
import { PaymentProviderUnavailable } from './errors';

export interface AuthorizationRequest {
  orderId: string;
  paymentToken: string;
  /** Minor units. */
  amount: number;
  currency: string;
}

export type AuthorizationResult =
  | { status: 'approved'; authorizationId: string }
  | { status: 'declined'; reason: 'card_declined' | 'insufficient_funds' };

/** A card processor. Implementations throw PaymentProviderUnavailable for transient failures only. */
export interface PaymentProvider {
  readonly name: string;
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}

/**
 * Deterministic stand-in for a card processor, driven by the token (like processors' test cards):
 * `tok_decline…` → card_declined, `tok_insufficient…` → insufficient_funds, `tok_unavailable…` → transient
 * outage; anything else is approved with an authorization id derived from order and token.
 */
export class FakePaymentProvider implements PaymentProvider {
  readonly name = 'fake';

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const token = request.paymentToken;
    if (token.startsWith('tok_unavailable')) {
      throw new PaymentProviderUnavailable('fake provider: simulated outage (503)');
    }
    if (token.startsWith('tok_decline')) return { status: 'declined', reason: 'card_declined' };
    if (token.startsWith('tok_insufficient')) return { status: 'declined', reason: 'insufficient_funds' };
    const digest = createHash('sha256').update(`${request.orderId}:${token}:${request.amount}`).digest('hex');
    return { status: 'approved', authorizationId: `auth_${digest.slice(0, 20)}` };
  }
}

/** Picks the provider named in PAYMENT_PROVIDER (default `fake`); an unknown name is an error. */
export function providerFromEnv(env: NodeJS.ProcessEnv): PaymentProvider {
  const name = env.PAYMENT_PROVIDER?.trim() || 'fake';
  if (name === 'fake') return new FakePaymentProvider();
  throw new Error(`unknown PAYMENT_PROVIDER "${name}" (supported: fake)`);
}
