import type { EntryPoint } from './entry-point';
import type { TrafficCall } from './scenarios/scenario';

/** The outcome of one call: an HTTP status, or why there is none. */
export type CallOutcome = number | 'function-error' | 'network-error' | 'timeout' | 'aborted';

async function sendHttp(url: string, call: Extract<TrafficCall, { kind: 'http' }>, signal: AbortSignal) {
  const response = await fetch(`${url.replace(/\/+$/, '')}${call.path}`, {
    method: call.method,
    ...(call.headers ? { headers: call.headers } : {}),
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    signal,
  });
  const text = await response.text();
  if (call.onAnswer) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    call.onAnswer(response.status, body);
  }
  return response.status;
}

/** A Lambda result: an API Gateway result carries its status; a function error payload is a failure. */
function invokeOutcome(result: unknown): CallOutcome {
  if (typeof result !== 'object' || result === null) return 200;
  const record = result as Record<string, unknown>;
  if (typeof record.statusCode === 'number') return record.statusCode;
  if (typeof record.errorType === 'string' || typeof record.FunctionError === 'string')
    return 'function-error';
  return 200;
}

function failure(error: unknown, signal: AbortSignal, stopSignal: AbortSignal): CallOutcome {
  if (stopSignal.aborted) return 'aborted';
  if (signal.aborted) return 'timeout';
  return (error as Error).name === 'TimeoutError' ? 'timeout' : 'network-error';
}

export async function sendCall(
  entry: EntryPoint,
  call: TrafficCall,
  timeoutMs: number,
  stopSignal: AbortSignal,
): Promise<CallOutcome> {
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stopSignal]);
  if (call.kind === 'http') {
    if (entry.kind !== 'http') throw new Error('an HTTP workload needs an http entry point');
    try {
      return await sendHttp(entry.url, call, signal);
    } catch (error) {
      return failure(error, signal, stopSignal);
    }
  }
  if (entry.kind !== 'invoke') throw new Error('a Lambda workload needs an invoke entry point');
  try {
    return invokeOutcome(await entry.invoke(call.payload));
  } catch (error) {
    // Lambda refusing the invocation (429 throttled) is not the function failing.
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' ? status : 'function-error';
  }
}
