import { JsonCodec2 } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import type { $SchemaRef } from '@smithy/types';

/**
 * The SDK's own JSON codec with the settings its clients use, run the other way round: the server reads
 * what a client's serializer wrote and writes what a client's deserializer reads. Timestamps are epoch
 * seconds unless a member's trait says otherwise, blobs base64, `jsonName` honoured on REST.
 */
export interface JsonShapes {
  read(schema: $SchemaRef, body: Uint8Array): Promise<Record<string, unknown>>;
  write(schema: $SchemaRef, value: unknown): Uint8Array;
}

/** awsJson1_0/1_1 ignore `jsonName`; restJson1 honours it and binds members to HTTP. */
export function jsonShapes(protocol: 'rpc' | 'rest'): JsonShapes {
  const codec = new JsonCodec2({
    timestampFormat: { useTrait: true, default: 7 },
    jsonName: protocol === 'rest',
    ...(protocol === 'rest' ? { httpBindings: true } : {}),
  });
  return {
    async read(schema, body) {
      if (body.byteLength === 0) return {};
      return (await codec
        .createDeserializer()
        .read(NormalizedSchema.of(schema), new TextDecoder().decode(body))) as Record<string, unknown>;
    },
    write(schema, value) {
      const serializer = codec.createSerializer();
      serializer.write(NormalizedSchema.of(schema), value);
      return serializer.flush();
    },
  };
}
