import { FromStringShapeDeserializer, ToStringShapeSerializer } from '@smithy/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import type { StaticOperationSchema } from '@smithy/types';
import { jsonErrorBody } from './json-error-body';
import { jsonShapes } from './json-shapes';
import { restRouter } from './rest-routes';
import type { SdkModel } from './sdk-model';
import type { ProtocolCodec, RoutedOperation, WireRequest, WireResponse } from './wire-message';

const bindingSettings = { timestampFormat: { useTrait: true, default: 7 as const }, httpBindings: true };

/**
 * restJson1: the operation's `http` trait routes the request; members bound by traits come from the
 * path (httpLabel), query string (httpQuery, httpQueryParams), headers (httpHeader, httpPrefixHeaders)
 * or make up the whole payload (httpPayload); the rest is the JSON body. Output the same way back,
 * with httpResponseCode as the status.
 */
export function restJsonCodec(model: SdkModel): ProtocolCodec {
  const shapes = jsonShapes('rest');
  const route = restRouter(model.operations);
  return {
    route,
    decodeInput: (schema, request, routed) => decodeInput(schema, request, routed),
    encodeOutput: (schema, output) => encodeOutput(schema, output),
    encodeError(error) {
      const headers = { 'content-type': 'application/json', 'x-amzn-errortype': error.code };
      return { status: error.status, headers, body: JSON.stringify(jsonErrorBody(model, shapes, error)) };
    },
  };

  async function decodeInput(schema: StaticOperationSchema, request: WireRequest, routed: RoutedOperation) {
    const strings = new FromStringShapeDeserializer(bindingSettings);
    const input: Record<string, unknown> = {};
    const members = [...NormalizedSchema.of(schema[4]).structIterator()];
    const boundQuery = new Set(members.map(([, member]) => member.getMergedTraits().httpQuery));
    let body: Record<string, unknown> | undefined;
    for (const [name, member] of members) {
      const traits = member.getMergedTraits();
      const label = routed.labels[name];
      if (traits.httpLabel && label !== undefined) input[name] = strings.read(member, label);
      else if (typeof traits.httpHeader === 'string') {
        const value = headerValue(request, traits.httpHeader);
        if (value !== undefined) input[name] = strings.read(member, value);
      } else if (typeof traits.httpQuery === 'string') {
        const values = request.query.getAll(traits.httpQuery);
        if (values.length === 0) continue;
        input[name] = member.isListSchema()
          ? values.map((value) => strings.read([member.getValueSchema(), traits], value))
          : strings.read(member, values[0] ?? '');
      } else if (traits.httpQueryParams) {
        input[name] = Object.fromEntries([...request.query].filter(([key]) => !boundQuery.has(key)));
      } else if (typeof traits.httpPrefixHeaders === 'string') {
        input[name] = prefixHeaders(request, traits.httpPrefixHeaders.toLowerCase());
      } else if (traits.httpPayload) {
        const payload = await payloadValue(member, request.body);
        if (payload !== undefined) input[name] = payload;
      } else {
        body ??= await shapes.read(schema[4], request.body);
        if (body[name] !== undefined) input[name] = body[name];
      }
    }
    return input;
  }

  async function payloadValue(member: NormalizedSchema, bytes: Uint8Array): Promise<unknown> {
    if (bytes.byteLength === 0) return undefined;
    if (member.isBlobSchema()) return new Uint8Array(bytes);
    if (member.isStringSchema()) return new TextDecoder().decode(bytes);
    return shapes.read(member, bytes);
  }

  function encodeOutput(schema: StaticOperationSchema, output: Record<string, unknown>): WireResponse {
    const strings = new ToStringShapeSerializer(bindingSettings);
    const headers: Record<string, string> = {};
    let status = httpCode(schema);
    let payload: WireResponse['body'] | undefined;
    const bodyMembers: Record<string, unknown> = {};
    for (const [name, member] of NormalizedSchema.of(schema[5]).structIterator()) {
      const value = output[name];
      if (value === undefined || value === null) continue;
      const traits = member.getMergedTraits();
      if (traits.httpResponseCode) status = Number(value);
      else if (typeof traits.httpHeader === 'string') {
        strings.write(member, value);
        headers[traits.httpHeader.toLowerCase()] = strings.flush();
      } else if (typeof traits.httpPrefixHeaders === 'string') {
        for (const [key, item] of Object.entries(value as Record<string, string>))
          headers[`${traits.httpPrefixHeaders}${key}`.toLowerCase()] = String(item);
      } else if (traits.httpPayload) {
        payload = encodePayload(member, value, headers);
      } else bodyMembers[name] = value;
    }
    if (payload !== undefined) return { status, headers, body: payload };
    if (status === 204) return { status, headers, body: '' };
    headers['content-type'] = 'application/json';
    return { status, headers, body: shapes.write(schema[5], bodyMembers) };
  }

  function encodePayload(member: NormalizedSchema, value: unknown, headers: Record<string, string>) {
    const mediaType = member.getMergedTraits().mediaType;
    if (member.isBlobSchema()) {
      headers['content-type'] = mediaType ?? 'application/octet-stream';
      return value as Uint8Array;
    }
    if (member.isStringSchema()) {
      headers['content-type'] = mediaType ?? 'text/plain';
      return String(value);
    }
    headers['content-type'] = 'application/json';
    return shapes.write(member, value);
  }
}

function httpCode(schema: StaticOperationSchema): number {
  const traits = schema[3] as { http?: unknown[] };
  const code = traits.http?.[2];
  return typeof code === 'number' ? code : 200;
}

function headerValue(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function prefixHeaders(request: WireRequest, prefix: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(prefix) && value !== undefined) found[name.slice(prefix.length)] = String(value);
  }
  return found;
}
