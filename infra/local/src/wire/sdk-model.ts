import { createRequire } from 'node:module';
import type { StaticErrorSchema, StaticOperationSchema } from '@smithy/types';
import type { WireProtocol } from '../services/service';

/**
 * What the wire layer needs from an official SDK package: the protocol its client speaks (read from the
 * client's own runtime config, so it follows the SDK when a service moves protocol), the operations' static
 * schemas (`UpdateAlias$`: HTTP trait, input and output shapes) and the error shapes the service declares.
 */
export interface SdkModel {
  sdkPackage: string;
  protocol: WireProtocol;
  /** awsJson: the X-Amz-Target prefix the client sends. */
  serviceTarget: string;
  /** awsJson services that moved off awsQuery and still send the query error code (CloudWatch). */
  queryCompatible: boolean;
  /** The Smithy namespace of its shapes (`com.amazonaws.sts`). */
  namespace: string;
  /** awsQuery: the XML namespace of responses. */
  xmlNamespace: string;
  operations: ReadonlyMap<string, StaticOperationSchema>;
  /** The declared error shape of that name (`ResourceNotFoundException`), if the service declares one. */
  errorShape(code: string): StaticErrorSchema | undefined;
}

interface ErrorRegistry {
  find(predicate: (schema: unknown) => boolean): unknown;
}

interface ClientProtocol {
  getShapeId(): string;
  serviceTarget?: string;
  awsQueryCompatible?: boolean;
  options: { defaultNamespace: string; xmlNamespace?: string };
}

interface SdkClient {
  config: { protocol: ClientProtocol };
  destroy(): void;
}

type SdkClientClass = new (config: object) => SdkClient;

const protocolsById: Record<string, WireProtocol> = {
  'aws.protocols#awsJson1_0': 'awsJson1_0',
  'aws.protocols#awsJson1_1': 'awsJson1_1',
  'aws.protocols#restJson1': 'restJson1',
  'aws.protocols#awsQuery': 'awsQuery',
};

const models = new Map<string, SdkModel>();
const require = createRequire(import.meta.url);

/** The model of one SDK package (`@aws-sdk/client-lambda`), loaded once per process. */
export function sdkModel(sdkPackage: string): SdkModel {
  let model = models.get(sdkPackage);
  if (!model) {
    model = loadSdkModel(sdkPackage);
    models.set(sdkPackage, model);
  }
  return model;
}

function loadSdkModel(sdkPackage: string): SdkModel {
  const exports = require(sdkPackage) as Record<string, unknown>;
  const protocol = clientProtocol(sdkPackage, exports);
  const wire = protocolsById[protocol.getShapeId()];
  if (!wire)
    throw new Error(`${sdkPackage} speaks ${protocol.getShapeId()}, which the local cloud does not serve`);
  const registries = (exports.errorTypeRegistries ?? []) as ErrorRegistry[];
  return {
    sdkPackage,
    protocol: wire,
    serviceTarget: protocol.serviceTarget ?? '',
    queryCompatible: protocol.awsQueryCompatible === true,
    namespace: protocol.options.defaultNamespace,
    xmlNamespace: protocol.options.xmlNamespace ?? '',
    operations: operationSchemas(exports),
    errorShape: (code) => findErrorShape(registries, code),
  };
}

/** The protocol instance the package's client builds for itself (`config.protocol`). */
function clientProtocol(sdkPackage: string, exports: Record<string, unknown>): ClientProtocol {
  const name = Object.keys(exports).find((key) => key.endsWith('Client') && key !== '__Client');
  const Client = name ? (exports[name] as SdkClientClass) : undefined;
  if (!Client) throw new Error(`${sdkPackage} exports no client class`);
  const client = new Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    return client.config.protocol;
  } finally {
    client.destroy();
  }
}

/** Static operation schemas are exported as `<Operation>$`: `[9, namespace, name, traits, input, output]`. */
function operationSchemas(exports: Record<string, unknown>): Map<string, StaticOperationSchema> {
  const operations = new Map<string, StaticOperationSchema>();
  for (const [key, value] of Object.entries(exports)) {
    if (key.endsWith('$') && Array.isArray(value) && value[0] === 9) {
      const schema = value as unknown as StaticOperationSchema;
      operations.set(schema[2], schema);
    }
  }
  return operations;
}

function findErrorShape(registries: readonly ErrorRegistry[], code: string): StaticErrorSchema | undefined {
  const isShape = (schema: unknown): boolean =>
    Array.isArray(schema) && schema[0] === -3 && (schema[2] === code || queryErrorCode(schema) === code);
  for (const registry of registries) {
    const found = registry.find(isShape);
    if (found) return found as StaticErrorSchema;
  }
  return undefined;
}

/** CloudWatch's error shapes carry their old awsQuery code (`ResourceNotFound`) as a trait. */
export function queryErrorCode(schema: unknown): string | undefined {
  const traits = (schema as unknown[])[3];
  if (typeof traits !== 'object' || traits === null) return undefined;
  const queryError = (traits as { awsQueryError?: unknown[] }).awsQueryError;
  return typeof queryError?.[0] === 'string' ? queryError[0] : undefined;
}
