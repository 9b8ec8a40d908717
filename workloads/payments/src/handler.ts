import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createLambdaObservability, instrumentHandler } from '@securecart/shared/powertools';
import {
  type AuthorizeOptions,
  authorizePayment,
  type PaymentAuthorized,
  parsePaymentInput,
} from './authorize';
import { PaymentDeclined, PaymentProviderUnavailable } from './errors';
import { providerFromEnv } from './provider';

export const obs = createLambdaObservability('payments');
const { logger, metrics, tracer } = obs;

let options: AuthorizeOptions | undefined;

function defaultOptions(): AuthorizeOptions {
  options ??= { provider: providerFromEnv(process.env) };
  return options;
}

/** Invoked by the fulfillment state machine with { orderId, paymentToken, amount, currency }. */
export async function processPayment(event: unknown, opts: AuthorizeOptions): Promise<PaymentAuthorized> {
  try {
    const input = parsePaymentInput(event);
    tracer.putAnnotation('orderId', input.orderId);
    const result = await authorizePayment(input, opts);
    metrics.addMetric('PaymentsAuthorized', MetricUnit.Count, 1);
    logger.info('payment authorized', { orderId: result.orderId, authorizationId: result.authorizationId });
    return result;
  } catch (error) {
    if (error instanceof PaymentDeclined) {
      metrics.addMetric('PaymentsDeclined', MetricUnit.Count, 1);
      logger.warn('payment declined', { reason: error.reason });
    } else if (error instanceof PaymentProviderUnavailable) {
      metrics.addMetric('PaymentProviderUnavailable', MetricUnit.Count, 1);
    }
    throw error;
  }
}

export const handler = instrumentHandler(obs, async (event: unknown) =>
  processPayment(event, defaultOptions()),
);
