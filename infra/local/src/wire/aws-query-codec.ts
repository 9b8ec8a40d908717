import { XmlShapeSerializer } from '@aws-sdk/core/protocols';
import { FromStringShapeDeserializer } from '@smithy/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { queryErrorCode, type SdkModel } from './sdk-model';
import type { ProtocolCodec, WireRequest } from './wire-message';

const settings = { timestampFormat: { useTrait: true, default: 5 as const } };

/**
 * awsQuery (STS), limited to what a test needs: `Action=<Operation>&Version=...` form-encoded in a POST
 * body or in a GET's query string (a presigned URL), TOP-LEVEL SCALAR members only (a nested or list
 * member, `Tags.member.1.Key`, is rejected rather than guessed); output as `<OpResponse><OpResult>` XML
 * written by the SDK's own XML serializer; errors as `<ErrorResponse>`.
 */
export function awsQueryCodec(model: SdkModel): ProtocolCodec {
  return {
    route(request) {
      const operation = queryParameters(request).get('Action') ?? '';
      return model.operations.has(operation) ? { operation, labels: {} } : undefined;
    },
    async decodeInput(schema, request) {
      const parameters = queryParameters(request);
      const strings = new FromStringShapeDeserializer(settings);
      const input: Record<string, unknown> = {};
      const members = new Map([...NormalizedSchema.of(schema[4]).structIterator()]);
      for (const [key, value] of parameters) {
        if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
        const member = members.get(key);
        if (!member || member.isStructSchema() || member.isListSchema() || member.isMapSchema())
          throw new Error(`the local cloud's awsQuery reads only top-level scalar members, not ${key}`);
        input[key] = strings.read(member, value);
      }
      return input;
    },
    encodeOutput(schema, output, requestId) {
      const serializer = new XmlShapeSerializer({
        ...settings,
        xmlNamespace: model.xmlNamespace,
        serviceNamespace: model.namespace,
      });
      serializer.write(NormalizedSchema.of(schema[5]), output);
      const members = innerXml(String(serializer.flush()));
      const name = schema[2];
      const body =
        `<${name}Response xmlns="${model.xmlNamespace}"><${name}Result>${members}</${name}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml' }, body };
    },
    encodeError(error, requestId) {
      const shape = model.errorShape(error.code);
      const code = (shape && queryErrorCode(shape)) ?? error.code;
      const type = error.status >= 500 ? 'Receiver' : 'Sender';
      const body =
        `<ErrorResponse xmlns="${model.xmlNamespace}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
    },
  };
}

function queryParameters(request: WireRequest): URLSearchParams {
  if (request.method === 'GET') return request.query;
  return new URLSearchParams(new TextDecoder().decode(request.body));
}

/** The members the SDK's serializer wrote inside the output structure's own element. */
function innerXml(xml: string): string {
  const start = xml.indexOf('>');
  const end = xml.lastIndexOf('</');
  return start >= 0 && end > start && !xml.slice(0, start).endsWith('/') ? xml.slice(start + 1, end) : '';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
