/**
 * Error names are the contract with the fulfillment state machine: Lambda reports `error.name` as the
 * error type, and the workflow's Retry matches `PaymentProviderUnavailable` only. `PaymentDeclined` goes to
 * the Catch branch (notify the customer); retrying it would only repeat the decline.
 */
export class PaymentProviderUnavailable extends Error {
  readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentProviderUnavailable';
  }
}

export type DeclineReason =
  | 'invalid_request'
  | 'unsupported_currency'
  | 'over_limit'
  | 'card_declined'
  | 'insufficient_funds';

export class PaymentDeclined extends Error {
  readonly retryable = false;
  constructor(
    readonly reason: DeclineReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'PaymentDeclined';
  }
}
