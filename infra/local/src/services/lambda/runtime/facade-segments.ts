import { randomBytes } from 'node:crypto';
import type { FunctionError } from './execution-environment';

/** The ids one invocation's trace uses: Lambda's two segments, and the caller's segment if it was traced. */
export interface InvocationTrace {
  traceId: string;
  serviceSegmentId: string;
  functionSegmentId: string;
  callerSegmentId?: string;
}

/** A span of REAL time in epoch milliseconds. */
export interface Span {
  startMs: number;
  endMs: number;
}

export interface InvocationFacts {
  functionName: string;
  account: string;
  /** The ARN the caller invoked (qualified by the alias or version when it named one). */
  invokedArn: string;
  requestId: string;
  /** From the request reaching Lambda to its response. */
  whole: Span;
  /** The init phase of a cold start. */
  init?: Span;
  /** The handler's run. */
  invocation?: Span;
  error?: FunctionError;
  throttled?: boolean;
}

const segmentId = () => randomBytes(8).toString('hex');
const seconds = (ms: number) => ms / 1000;

/**
 * The trace of one invocation: the caller's (from its `X-Amzn-Trace-Id`, `Root=…;Parent=…;Sampled=…`)
 * or a new one, as Lambda starts one for an untraced caller of an actively traced function.
 */
export function invocationTrace(callerHeader?: string): InvocationTrace {
  const fields = Object.fromEntries((callerHeader ?? '').split(';').map((part) => part.trim().split('=')));
  const trace: InvocationTrace = {
    traceId: fields.Root ?? newTraceId(Date.now()),
    serviceSegmentId: segmentId(),
    functionSegmentId: segmentId(),
  };
  if (fields.Root && fields.Parent) trace.callerSegmentId = fields.Parent;
  return trace;
}

/** `1-<epoch seconds, 8 hex digits>-<96 random bits>`, X-Ray's trace id format. */
export function newTraceId(realMs: number): string {
  const epoch = Math.floor(realMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `1-${epoch}-${randomBytes(12).toString('hex')}`;
}

/** `_X_AMZN_TRACE_ID` for the function: its subsegments' parent is the AWS::Lambda::Function segment. */
export function functionTraceHeader(trace: InvocationTrace): string {
  return `Root=${trace.traceId};Parent=${trace.functionSegmentId};Sampled=1`;
}

/**
 * What Lambda itself sends to X-Ray for an invocation of an actively traced function: the
 * `AWS::Lambda` service segment and the `AWS::Lambda::Function` segment, both named after the function,
 * the latter with its Initialization (a cold start) and Invocation subsegments and the fault of a failed
 * invocation. A throttled request has the service segment only. Times are REAL epoch seconds.
 */
export function facadeSegments(trace: InvocationTrace, facts: InvocationFacts): Record<string, unknown>[] {
  const service: Record<string, unknown> = {
    id: trace.serviceSegmentId,
    trace_id: trace.traceId,
    name: facts.functionName,
    origin: 'AWS::Lambda',
    start_time: seconds(facts.whole.startMs),
    end_time: seconds(facts.whole.endMs),
    ...(trace.callerSegmentId ? { parent_id: trace.callerSegmentId } : {}),
    aws: { request_id: facts.requestId },
    resource_arn: facts.invokedArn,
    http: { response: { status: facts.throttled ? 429 : 200 } },
    ...(facts.throttled ? { error: true, throttle: true } : {}),
  };
  if (facts.throttled) return [service];
  const fault = facts.error ? { fault: true, cause: cause(facts.error) } : {};
  const subsegments = [
    ...(facts.init ? [subsegment('Initialization', facts.init, facts.invocation ? {} : fault)] : []),
    ...(facts.invocation ? [subsegment('Invocation', facts.invocation, fault)] : []),
  ];
  const fn = {
    id: trace.functionSegmentId,
    trace_id: trace.traceId,
    parent_id: trace.serviceSegmentId,
    name: facts.functionName,
    origin: 'AWS::Lambda::Function',
    start_time: seconds((facts.init ?? facts.invocation ?? facts.whole).startMs),
    end_time: seconds((facts.invocation ?? facts.init ?? facts.whole).endMs),
    aws: { account_id: facts.account, function_arn: facts.invokedArn, resource_names: [facts.functionName] },
    ...fault,
    subsegments,
  };
  return [service, fn];
}

function subsegment(name: string, span: Span, fault: Record<string, unknown>): Record<string, unknown> {
  return {
    id: segmentId(),
    name,
    start_time: seconds(span.startMs),
    end_time: seconds(span.endMs),
    ...fault,
  };
}

function cause(error: FunctionError): Record<string, unknown> {
  return {
    working_directory: '/var/task',
    exceptions: [{ id: segmentId(), message: error.errorMessage, type: error.errorType }],
  };
}
