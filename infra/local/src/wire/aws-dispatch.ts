import { randomUUID } from 'node:crypto';
import type { StaticOperationSchema } from '@smithy/types';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../faults/fault-plan';
import {
  AwsServiceError,
  type OperationContext,
  type OperationHandler,
  type ServiceDefinition,
} from '../services/service';
import { createFaultInjector } from './api-faults';
import { awsQueryCodec } from './aws-query-codec';
import { credentialScope } from './credential-scope';
import { jsonRpcCodec } from './json-rpc-codec';
import { restJsonCodec } from './rest-json-codec';
import { type SdkModel, sdkModel } from './sdk-model';
import { outageError, serverFaultError, throttlingError, validationError } from './service-errors';
import type { ProtocolCodec, WireError, WireRequest, WireResponse } from './wire-message';

export interface DispatchOptions {
  services: readonly ServiceDefinition[];
  clock: ScaledClock;
  faults: FaultPlan;
  /** Where internal failures are reported (once each); console.error by default. */
  log?: (line: string) => void;
}

interface ServedService {
  definition: ServiceDefinition;
  model: SdkModel;
  codec: ProtocolCodec;
}

/**
 * The AWS side of the server: a request's credential scope names the service, the service's protocol
 * names the operation, the live fault plan may answer instead of the service, the input is decoded and
 * checked against the SDK's model, and only then does the handler run. Every answer is AWS-shaped and
 * carries `x-amzn-RequestId`.
 */
export function createAwsDispatch(options: DispatchOptions): (request: WireRequest) => Promise<WireResponse> {
  const served = new Map(options.services.map((definition) => [definition.signingName, serve(definition)]));
  const injectFaults = createFaultInjector(options.faults, options.clock);
  const log = options.log ?? ((line: string) => console.error(line));
  const reported = new Set<string>();

  return async (request) => {
    const requestId = randomUUID();
    const response = await answer(request, requestId);
    response.headers['x-amzn-requestid'] = requestId;
    return response;
  };

  /**
   * A handler's output that breaks the model is reported (once), not refused. Top-level bytes are left
   * out of the check: the model types a payload blob (`Invoke.Payload`) as the SDK's Uint8ArrayBlobAdapter,
   * which plain bytes are not.
   */
  function reportOutputProblems(definition: ServiceDefinition, operation: string, output: object): void {
    const checked = Object.fromEntries(
      Object.entries(output).filter(([, value]) => !(value instanceof Uint8Array)),
    );
    const problems = apiModel(definition.sdkPackage).outputProblems(operation, checked).slice(0, 5);
    const report = `local cloud: ${definition.signingName} ${operation} answered outside its model: ${problems.join('; ')}`;
    if (problems.length > 0 && !reported.has(report)) {
      reported.add(report);
      log(report);
    }
  }

  async function answer(request: WireRequest, requestId: string): Promise<WireResponse> {
    const found = credentialScope(request);
    if ('missing' in found) return bareError(found.missing === 'token' ? missingToken : incompleteSignature);
    const { region, signingName } = found.scope;
    const service = served.get(signingName);
    if (!service) return bareError(unknownService(signingName, [...served.keys()]));
    const { model, codec } = service;
    const routed = codec.route(request);
    const schema = routed && model.operations.get(routed.operation);
    const handler = routed && service.definition.operations[routed.operation];
    if (!routed || !schema || !handler) {
      return codec.encodeError(unknownOperation(model, request, routed?.operation), requestId);
    }
    const faulted = await applyFaults(service, routed.operation);
    if (faulted) return codec.encodeError(faulted, requestId);
    let input: Record<string, unknown>;
    try {
      input = await codec.decodeInput(schema, request, routed);
    } catch (error) {
      const message = `the request body of ${routed.operation} cannot be read: ${(error as Error).message}`;
      return codec.encodeError(
        { code: 'SerializationException', message, status: 400, members: {} },
        requestId,
      );
    }
    const problems = apiModel(service.definition.sdkPackage).inputProblems(routed.operation, input);
    if (problems.length > 0)
      return codec.encodeError(validationError(model, signingName, problems), requestId);
    return run(service, schema, handler, input, { region, clock: options.clock, requestId });
  }

  /** The live plan's fault for this call, after its delay: the error to answer instead, if any. */
  async function applyFaults(
    { definition, model }: ServedService,
    operation: string,
  ): Promise<WireError | undefined> {
    const fault = injectFaults(definition.signingName, operation);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.outcome === 'outage') return outageError(model, operation);
    if (fault.outcome === 'throttle') return throttlingError(model, operation);
    if (fault.outcome === 'serverError') return serverFaultError(model, operation);
    return undefined;
  }

  async function run(
    { definition, codec }: ServedService,
    schema: StaticOperationSchema,
    handler: OperationHandler,
    input: Record<string, unknown>,
    context: OperationContext,
  ): Promise<WireResponse> {
    const operation = schema[2];
    try {
      const output = ((await handler(input, context)) ?? {}) as Record<string, unknown>;
      reportOutputProblems(definition, operation, output);
      return codec.encodeOutput(schema, output, context.requestId);
    } catch (error) {
      if (error instanceof AwsServiceError) return codec.encodeError(serviceError(error), context.requestId);
      const { signingName } = definition;
      log(
        `local cloud: ${signingName} ${operation} failed (request ${context.requestId}): ${(error as Error).message}`,
      );
      const message = `${operation} failed inside the local cloud (request ${context.requestId}); its log says why`;
      return codec.encodeError(
        { code: 'InternalFailure', message, status: 500, members: {} },
        context.requestId,
      );
    }
  }
}

/** Checks once, at start, that the definition speaks the protocol its SDK client speaks today. */
function serve(definition: ServiceDefinition): ServedService {
  const model = sdkModel(definition.sdkPackage);
  if (model.protocol !== definition.protocol) {
    throw new Error(
      `the ${definition.signingName} service is defined as ${definition.protocol}, but ${definition.sdkPackage} speaks ${model.protocol}: fix its ServiceDefinition`,
    );
  }
  if (definition.targetPrefix !== undefined && definition.targetPrefix !== model.serviceTarget) {
    throw new Error(
      `${definition.sdkPackage} sends X-Amz-Target ${model.serviceTarget}.*, not ${definition.targetPrefix}.*`,
    );
  }
  for (const operation of Object.keys(definition.operations)) {
    if (!model.operations.has(operation))
      throw new Error(`${definition.sdkPackage} has no operation ${operation}`);
  }
  apiModel(definition.sdkPackage);
  return { definition, model, codec: codecFor(model) };
}

function codecFor(model: SdkModel): ProtocolCodec {
  if (model.protocol === 'restJson1') return restJsonCodec(model);
  if (model.protocol === 'awsQuery') return awsQueryCodec(model);
  return jsonRpcCodec(model);
}

function serviceError(error: AwsServiceError): WireError {
  return { code: error.code, message: error.message, status: error.status, members: error.members };
}

function unknownOperation(model: SdkModel, request: WireRequest, operation: string | undefined): WireError {
  const what = operation ?? `${request.method} ${request.path}`;
  const message = operation
    ? `the local cloud does not serve ${operation} of ${model.sdkPackage}`
    : `no operation of ${model.sdkPackage} is ${what}`;
  return {
    code: 'UnknownOperationException',
    message,
    status: model.protocol === 'restJson1' ? 404 : 400,
    members: {},
  };
}

const missingToken: WireError = {
  code: 'MissingAuthenticationTokenException',
  message: 'Missing Authentication Token: sign the request with SigV4 (any static credentials do)',
  status: 403,
  members: {},
};

const incompleteSignature: WireError = {
  code: 'IncompleteSignatureException',
  message:
    "Authorization header requires 'Credential' parameter: <key>/<date>/<region>/<service>/aws4_request",
  status: 403,
  members: {},
};

function unknownService(signingName: string, served: string[]): WireError {
  const message = `the local cloud serves no service signing as '${signingName}' (it serves ${served.join(', ')})`;
  return { code: 'UnrecognizedClientException', message, status: 400, members: {} };
}

/** An error before the service is known: JSON with both the header and `__type`, which every JSON client reads. */
function bareError(error: WireError): WireResponse {
  const headers = { 'content-type': 'application/json', 'x-amzn-errortype': error.code };
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}
