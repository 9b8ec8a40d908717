import type { IncomingHttpHeaders } from 'node:http';
import type { StaticOperationSchema } from '@smithy/types';
import type { SdkModel } from './sdk-model';

/** One HTTP request as the wire layer reads it: the whole body is collected first. */
export interface WireRequest {
  method: string;
  /** The URL path, still percent-encoded (labels are decoded one by one). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** An error answered in the protocol's error encoding. */
export interface WireError {
  code: string;
  message: string;
  status: number;
  members: Record<string, unknown>;
}

/** Which operation a request calls, and the path labels a REST route bound. */
export interface RoutedOperation {
  operation: string;
  labels: Record<string, string>;
}

/** One wire protocol: routing, input decoding, output and error encoding, all from the SDK's schemas. */
export interface ProtocolCodec {
  /** The operation of the SDK's model the request calls; undefined when it calls none. */
  route(request: WireRequest): RoutedOperation | undefined;
  decodeInput(
    schema: StaticOperationSchema,
    request: WireRequest,
    routed: RoutedOperation,
  ): Promise<Record<string, unknown>>;
  encodeOutput(
    schema: StaticOperationSchema,
    output: Record<string, unknown>,
    requestId: string,
  ): WireResponse;
  encodeError(error: WireError, requestId: string): WireResponse;
}

export type CodecFactory = (model: SdkModel) => ProtocolCodec;
