import type { AttributeValue, OtlpSpan } from './otlp-spans';
import type { SegmentDocument } from './trace-store';
import { xrayTraceId } from './trace-store';

/** X-Ray origins of the resource detectors' `cloud.platform` values (the awsxray exporter's mapping). */
const ORIGINS: Record<string, string> = {
  aws_ecs: 'AWS::ECS::Container',
  aws_eks: 'AWS::EKS::Container',
  aws_ec2: 'AWS::EC2::Instance',
  aws_elastic_beanstalk: 'AWS::ElasticBeanstalk::Environment',
  aws_app_runner: 'AWS::AppRunner::Service',
  aws_lambda: 'AWS::Lambda::Function',
};

/**
 * The X-Ray document the collector's awsxray exporter writes for one span (REAL epoch seconds): a
 * SERVER span or a local root becomes a segment named after the resource's `service.name`; any other
 * span a subsegment streamed with its `parent_id`. Attributes named in `aws.xray.annotations` become
 * annotations; HTTP status and span status give fault (5xx, or ERROR without a 4xx), error (4xx) and
 * throttle (429).
 */
export function segmentOfSpan(span: OtlpSpan): SegmentDocument {
  const isSegment = span.kind === 'SERVER' || span.parentSpanId === undefined;
  const status = httpStatus(span.attributes);
  const document: SegmentDocument = {
    trace_id: xrayTraceId(span.traceId),
    id: span.spanId,
    name: isSegment ? String(span.resource['service.name'] ?? span.name) : span.name,
    start_time: seconds(span.startNs),
    end_time: seconds(span.endNs),
    ...(span.parentSpanId ? { parent_id: span.parentSpanId } : {}),
    ...(isSegment ? {} : { type: 'subsegment' }),
    ...(span.kind === 'CLIENT' ? { namespace: 'remote' } : {}),
    ...faults(span.status.code, status),
  };
  const origin = ORIGINS[String(span.resource['cloud.platform'] ?? '')];
  if (isSegment && origin) document.origin = origin;
  const http = httpOf(span.attributes, status);
  if (http) document.http = http;
  const annotations = annotationsOf(span.attributes);
  if (Object.keys(annotations).length > 0) document.annotations = annotations;
  return document;
}

function seconds(nanos: bigint): number {
  return Number(nanos / 1000n) / 1e6;
}

function faults(code: OtlpSpan['status']['code'], status: number | undefined): Record<string, boolean> {
  if (status !== undefined && status >= 500) return { fault: true };
  if (status === 429) return { error: true, throttle: true };
  if (status !== undefined && status >= 400) return { error: true };
  return code === 'ERROR' ? { fault: true } : {};
}

function httpStatus(attributes: Record<string, AttributeValue>): number | undefined {
  const value = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  const status = Number(value);
  return value !== undefined && Number.isInteger(status) ? status : undefined;
}

function httpOf(attributes: Record<string, AttributeValue>, status: number | undefined) {
  const method = attributes['http.request.method'] ?? attributes['http.method'];
  const url = attributes['url.full'] ?? attributes['http.url'] ?? attributes['url.path'];
  if (method === undefined && status === undefined) return undefined;
  return {
    request: {
      ...(method === undefined ? {} : { method: String(method) }),
      ...(url ? { url: String(url) } : {}),
    },
    ...(status === undefined ? {} : { response: { status } }),
  };
}

/** The attributes `aws.xray.annotations` names, with X-Ray's key rule (anything but [A-Za-z0-9_] → `_`). */
function annotationsOf(
  attributes: Record<string, AttributeValue>,
): Record<string, string | number | boolean> {
  const named = attributes['aws.xray.annotations'];
  const keys = Array.isArray(named) ? named.map(String) : [];
  const annotations: Record<string, string | number | boolean> = {};
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      annotations[key.replace(/[^A-Za-z0-9_]/g, '_')] = value;
    }
  }
  return annotations;
}
