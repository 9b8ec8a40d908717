import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../faults/fault-plan';

/**
 * The wire protocol a service's SDK client speaks today (each client's runtimeConfig.shared.js names
 * it): JSON-RPC with an X-Amz-Target header (awsJson1_0, awsJson1_1), REST with JSON bodies routed by
 * the operation's `http` trait (restJson1), or form-encoded query (awsQuery).
 */
export type WireProtocol = 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'awsQuery';

/** What every operation handler gets besides its input. */
export interface OperationContext {
  /** The Region of the request's SigV4 credential scope. */
  region: string;
  /** The cloud's clock: scaled time, the same in every service and in the engine. */
  clock: ScaledClock;
  /** `x-amzn-RequestId` of the response. */
  requestId: string;
}

/** One operation: the SDK's `<Operation>CommandInput` in, its `<Operation>CommandOutput` (without $metadata) out. */
// biome-ignore lint/suspicious/noExplicitAny: inputs are checked against the SDK's model before a handler sees them
export type OperationHandler = (input: any, context: OperationContext) => unknown | Promise<unknown>;

/** One AWS service as the local cloud serves it. */
export interface ServiceDefinition {
  /** Its SigV4 signing name, which the request's credential scope carries: `lambda`, `monitoring`, `xray`, … */
  signingName: string;
  /** The SDK package whose model validates requests and whose schemas give the REST routes. */
  sdkPackage: string;
  protocol: WireProtocol;
  /** awsJson: the X-Amz-Target prefix before the `.` (`AmazonEC2ContainerServiceV20141113`). */
  targetPrefix?: string;
  /** Handlers by operation name, exactly as the SDK names the operations (`UpdateAlias`). */
  operations: Record<string, OperationHandler>;
}

/**
 * An error the service itself would answer with: its name (`ResourceNotFoundException`), message and
 * HTTP status, encoded by the wire layer as the service's protocol encodes errors.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error shape (`Type`, `reason`). */
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** What the services share: the clock and the fault plan (see faults/fault-plan.ts). */
export interface CloudServices {
  clock: ScaledClock;
  faults: FaultPlan;
}
