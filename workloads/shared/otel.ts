import type { Context, Span, TextMapPropagator, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry tracing for SecureCart's containers, sending X-Ray-compatible traces to the ADOT collector
 * sidecar over OTLP/HTTP. (The X-Ray SDK for Node.js is in maintenance mode; OpenTelemetry is AWS's path.)
 *
 * - Trace ids come from the X-Ray id generator (time-prefixed, as X-Ray requires).
 * - Context travels in the `X-Amzn-Trace-Id` header (X-Ray propagator), so ALB / API Gateway / Lambda
 *   segments join the same trace.
 * - Every span carries the `release` attribute, and `aws.xray.annotations: ["release"]`; the collector's
 *   awsxray exporter turns it into an X-Ray annotation when configured with `indexed_attributes: [release]`.
 * - Nothing is exported unless OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT is set, and
 *   no network call is made before the first span is exported: safe to start in tests.
 */

export const RELEASE_ATTRIBUTE = 'release';
export const XRAY_ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';

export interface TracingOptions {
  serviceName: string;
  release: string;
  env?: NodeJS.ProcessEnv;
  /** Extra exporter, flushed synchronously per span (tests use an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** Install as the global tracer provider and propagator (production entry points only). */
  register?: boolean;
}

export interface Tracing {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  /** Where spans go over OTLP, or undefined when no endpoint is configured. */
  readonly otlpUrl: string | undefined;
  shutdown(): Promise<void>;
}

/** Stamps the release on every span when it starts, whoever creates it. */
class ReleaseSpanProcessor implements SpanProcessor {
  constructor(private readonly release: string) {}
  onStart(span: Span, _parentContext: Context): void {
    span.setAttribute(RELEASE_ATTRIBUTE, this.release);
    span.setAttribute(XRAY_ANNOTATIONS_ATTRIBUTE, [RELEASE_ATTRIBUTE]);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The OTLP/HTTP traces URL from the standard OTel variables, or undefined to export nothing. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

export function startTracing(options: TracingOptions): Tracing {
  const { serviceName, release } = options;
  const otlpUrl = otlpTracesUrl(options.env ?? process.env);
  const spanProcessors: SpanProcessor[] = [new ReleaseSpanProcessor(release)];
  if (options.exporter) spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  if (otlpUrl) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpUrl })));
  const provider = new NodeTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: release,
      [RELEASE_ATTRIBUTE]: release,
    }),
    spanProcessors,
  });
  const propagator = new AWSXRayPropagator();
  if (options.register) provider.register({ propagator });
  return {
    tracer: provider.getTracer(serviceName, release),
    propagator,
    otlpUrl,
    shutdown: () => provider.shutdown(),
  };
}

/** OTel trace id (32 hex) in X-Ray's `1-<8 hex>-<24 hex>` form, for log correlation. */
export function xrayTraceId(traceId: string): string {
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}
