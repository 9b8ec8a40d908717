import { describe, expect, it } from 'vitest';
import { otlpTracesUrl, startTracing, xrayTraceId } from '../otel';

describe('otlpTracesUrl', () => {
  it('exports nothing unless an endpoint is configured', () => {
    expect(otlpTracesUrl({})).toBeUndefined();
    expect(
      otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeUndefined();
  });

  it('prefers the traces endpoint and appends /v1/traces to the base endpoint', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toBe(
      'http://127.0.0.1:4318/v1/traces',
    );
    expect(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom',
      }),
    ).toBe('http://b:4318/custom');
  });
});

describe('startTracing', () => {
  it('reports the OTLP url it will use and starts without network', async () => {
    const tracing = startTracing({
      serviceName: 's',
      release: '1',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    });
    expect(tracing.otlpUrl).toBe('http://127.0.0.1:9/v1/traces');
    await tracing.shutdown();
  });
});

describe('xrayTraceId', () => {
  it('formats an OTel trace id the X-Ray way', () => {
    expect(xrayTraceId('5759e988bd862e3fe1be46a994272793')).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });
});
