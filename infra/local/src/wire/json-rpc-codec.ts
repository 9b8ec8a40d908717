import { jsonErrorBody } from './json-error-body';
import { jsonShapes } from './json-shapes';
import { queryErrorHeader } from './query-error-header';
import type { SdkModel } from './sdk-model';
import type { ProtocolCodec } from './wire-message';

/**
 * awsJson1_0 and awsJson1_1: every request is a POST to `/` naming its operation in
 * `X-Amz-Target: <serviceTarget>.<Operation>`, input and output are the JSON of their shapes, and an
 * error carries its name in `__type` (and `x-amzn-ErrorType`).
 */
export function jsonRpcCodec(model: SdkModel): ProtocolCodec {
  const shapes = jsonShapes('rpc');
  const contentType = `application/x-amz-json-${model.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`;
  return {
    route(request) {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || typeof target !== 'string') return undefined;
      const dot = target.lastIndexOf('.');
      if (target.slice(0, dot) !== model.serviceTarget) return undefined;
      const operation = target.slice(dot + 1);
      return model.operations.has(operation) ? { operation, labels: {} } : undefined;
    },
    decodeInput: (schema, request) => shapes.read(schema[4], request.body),
    encodeOutput(schema, output) {
      return { status: 200, headers: { 'content-type': contentType }, body: shapes.write(schema[5], output) };
    },
    encodeError(error) {
      const body = { __type: error.code, ...jsonErrorBody(model, shapes, error) };
      const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-errortype': error.code };
      if (model.queryCompatible) headers['x-amzn-query-error'] = queryErrorHeader(model, error);
      return { status: error.status, headers, body: JSON.stringify(body) };
    },
  };
}
