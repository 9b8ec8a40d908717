import { ECSServiceException } from '@aws-sdk/client-ecs';

/** How a throttled AWS API answers: the SDK's service exception named ThrottlingException, HTTP 400. */
function throttled(): Error {
  return new ECSServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

/** Calls a fake refuses once, the way the real API refuses them, before it changes anything. */
export class Refusals {
  private readonly pending: { operations: readonly string[]; error: Error }[] = [];

  /** The next call of any of `operations` fails with `error` (throttled by default). */
  refuseNext(operations: readonly string[], error: Error = throttled()): void {
    this.pending.push({ operations, error });
  }

  /** Throws if a refusal waits for `operation`. */
  check(operation: string): void {
    const index = this.pending.findIndex((refusal) => refusal.operations.includes(operation));
    if (index < 0) return;
    const [refusal] = this.pending.splice(index, 1);
    if (refusal) throw refusal.error;
  }
}
