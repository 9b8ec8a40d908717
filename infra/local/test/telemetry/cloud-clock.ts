import { apiModel } from '@tollgate/aws-api-model/api-model';
import { VirtualClock } from '@tollgate/pipelines/time/clock';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { expect } from 'vitest';
import type { OperationContext, ServiceDefinition } from '../../src/services/service';

/**
 * A ScaledClock over a VirtualClock that starts at the wall clock's now, at scale 1, so timestamps real
 * SDKs write with Date.now() map onto it; time moves only when a test advances it.
 */
export function virtualCloud(scale = 1) {
  const start = Date.now();
  const real = new VirtualClock(start);
  const clock = new ScaledClock({ cloudOrigin: start, realOrigin: start, scale }, real);
  const context: OperationContext = { region: 'eu-west-1', clock, requestId: 'test-request' };
  return { real, clock, context, start };
}

/** Calls a handler as the wire layer would: input checked against the SDK model first, output after. */
export async function call(
  definition: ServiceDefinition,
  operation: string,
  input: unknown,
  context: OperationContext,
  // biome-ignore lint/suspicious/noExplicitAny: the output is the operation's, checked against the model
): Promise<any> {
  const model = apiModel(definition.sdkPackage);
  expect(model.inputProblems(operation, input), `${operation} input`).toEqual([]);
  const handler = definition.operations[operation];
  if (!handler) throw new Error(`${definition.signingName} has no ${operation}`);
  const output = await handler(input, context);
  expect(model.outputProblems(operation, output), `${operation} output`).toEqual([]);
  return output;
}
