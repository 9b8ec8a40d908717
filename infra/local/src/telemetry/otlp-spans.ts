/** An attribute value as OTLP carries it, decoded. */
export type AttributeValue = string | number | boolean | AttributeValue[] | { [key: string]: AttributeValue };

/** One span of an OTLP/JSON ExportTraceServiceRequest, flattened with its resource and scope. */
export interface OtlpSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
  /** REAL unix nanoseconds, exact. */
  startNs: bigint;
  endNs: bigint;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message?: string };
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  scope: { name: string; version?: string };
}

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;

/**
 * The spans of an ExportTraceServiceRequest in the OTLP/JSON encoding (ids in hex, 64-bit integers as
 * decimal strings or numbers, enums as numbers or their names). Throws on a request that is not one.
 */
export function otlpSpans(request: unknown): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of list(field(request, 'resourceSpans'), 'resourceSpans')) {
    const resource = attributes(field(field(resourceSpans, 'resource'), 'attributes'));
    for (const scopeSpans of list(field(resourceSpans, 'scopeSpans'), 'scopeSpans')) {
      const scopeField = field(scopeSpans, 'scope');
      const scope: OtlpSpan['scope'] = { name: String(field(scopeField, 'name') ?? '') };
      const version = field(scopeField, 'version');
      if (typeof version === 'string') scope.version = version;
      for (const span of list(field(scopeSpans, 'spans'), 'spans')) spans.push(spanOf(span, resource, scope));
    }
  }
  return spans;
}

function spanOf(span: unknown, resource: OtlpSpan['resource'], scope: OtlpSpan['scope']): OtlpSpan {
  const traceId = hexId(field(span, 'traceId'), 32, 'traceId');
  const parent = field(span, 'parentSpanId');
  const status = field(span, 'status');
  const decoded: OtlpSpan = {
    traceId,
    spanId: hexId(field(span, 'spanId'), 16, 'spanId'),
    name: String(field(span, 'name') ?? ''),
    kind: enumOf(field(span, 'kind'), KINDS, 'SPAN_KIND_') ?? 'UNSPECIFIED',
    startNs: nanos(field(span, 'startTimeUnixNano'), 'startTimeUnixNano'),
    endNs: nanos(field(span, 'endTimeUnixNano'), 'endTimeUnixNano'),
    status: { code: enumOf(field(status, 'code'), STATUS_CODES, 'STATUS_CODE_') ?? 'UNSET' },
    attributes: attributes(field(span, 'attributes')),
    resource,
    scope,
  };
  const message = field(status, 'message');
  if (typeof message === 'string' && message !== '') decoded.status.message = message;
  if (typeof parent === 'string' && parent !== '') decoded.parentSpanId = hexId(parent, 16, 'parentSpanId');
  return decoded;
}

export function attributes(value: unknown): Record<string, AttributeValue> {
  const decoded: Record<string, AttributeValue> = {};
  for (const entry of Array.isArray(value) ? value : []) {
    const key = field(entry, 'key');
    const attribute = anyValue(field(entry, 'value'));
    if (typeof key === 'string' && attribute !== undefined) decoded[key] = attribute;
  }
  return decoded;
}

function anyValue(value: unknown): AttributeValue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (typeof v.bytesValue === 'string') return v.bytesValue;
  if (v.arrayValue !== undefined) {
    const values = field(v.arrayValue, 'values');
    return (Array.isArray(values) ? values : []).map(anyValue).filter((x) => x !== undefined);
  }
  if (v.kvlistValue !== undefined) return attributes(field(v.kvlistValue, 'values'));
  return undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function list(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`OTLP request: ${what} must be an array`);
  return value;
}

function hexId(value: unknown, digits: number, what: string): string {
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(value)) {
    throw new Error(`OTLP request: ${what} must be ${digits} hex digits, not ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

function nanos(value: unknown, what: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  throw new Error(`OTLP request: ${what} must be unix nanoseconds, not ${JSON.stringify(value)}`);
}

function enumOf<T extends string>(value: unknown, names: readonly T[], prefix: string): T | undefined {
  if (typeof value === 'number') return names[value];
  if (typeof value === 'string') return names.find((name) => value === name || value === `${prefix}${name}`);
  return undefined;
}
