import { apiModel } from '@tollgate/aws-api-model/api-model';
import type { AwsStub } from 'aws-sdk-client-mock';
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub is generic over every client
type AnyStub = AwsStub<any, any, any>;
type Command = { constructor: { name: string }; input: unknown };

const operationOf = (command: Command) => command.constructor.name.replace(/Command$/, '');

/**
 * Every request the stub received, checked against the service's API model: a request AWS would reject
 * (a missing required member, a value outside an enum, an unknown member, a wrong type) fails the test.
 */
export function expectValidRequests(stub: AnyStub, sdkPackage: string): void {
  const model = apiModel(sdkPackage);
  const problems = stub.calls().flatMap((call) => {
    const command = call.args[0] as Command;
    return model.inputProblems(operationOf(command), command.input);
  });
  expect(problems, `requests to ${sdkPackage} that AWS would reject`).toEqual([]);
}

/** A response for a mock, checked against the model first, so a fake never answers in an impossible shape. */
export function modelled<T>(sdkPackage: string, operation: string, response: T): T {
  const problems = apiModel(sdkPackage).outputProblems(operation, response);
  if (problems.length > 0)
    throw new Error(`a mocked ${operation} response AWS could not send:\n${problems.join('\n')}`);
  return response;
}

/** The requests the stub received, as `Operation input` pairs in order: what a test compares exactly. */
export function sentRequests(stub: AnyStub): { operation: string; input: unknown }[] {
  return stub.calls().map((call) => {
    const command = call.args[0] as Command;
    return { operation: operationOf(command), input: command.input };
  });
}
