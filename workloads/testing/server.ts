import type { Server } from 'node:http';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createServiceTelemetry, type ServiceTelemetry } from '@securecart/shared/container-telemetry';
import { listen } from '@securecart/shared/http';
import { afterAll } from 'vitest';

/** Telemetry with spans captured in memory and no OTLP endpoint. */
export function testTelemetry(serviceName: string, release = '1.0.0-test') {
  const spans = new InMemorySpanExporter();
  const telemetry = createServiceTelemetry(serviceName, {
    env: { RELEASE_VERSION: release },
    exporter: spans,
  });
  return { telemetry, spans };
}

export interface Running {
  baseUrl: string;
  request(
    path: string,
    init?: RequestInit,
    // biome-ignore lint/suspicious/noExplicitAny: tests assert on parsed JSON field by field
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Starts a server on 127.0.0.1 with an ephemeral port, closed after the test file. */
export async function startServer(server: Server, telemetry?: ServiceTelemetry): Promise<Running> {
  const port = await listen(server, 0, '127.0.0.1');
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await telemetry?.tracing.shutdown();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    async request(path, init) {
      const response = await fetch(`${baseUrl}${path}`, init);
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
        headers: response.headers,
      };
    },
  };
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}
