import { createServiceTelemetry, type ServiceTelemetry } from '@securecart/shared/container-telemetry';
import { createJsonServer, HttpError, listen } from '@securecart/shared/http';
import { vi } from 'vitest';

/** One EMF document as CloudWatch reads it (the parts alarms and metric filters depend on). */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [member: string]: unknown;
}

/**
 * Runs `fn` with Powertools metrics enabled and stdout captured, and returns the EMF documents written. The
 * telemetry must be created inside `fn` (Powertools reads POWERTOOLS_METRICS_DISABLED at construction).
 */
export async function captureEmf(fn: () => Promise<void>): Promise<EmfDocument[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  const saved = { ...process.env };
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  // Log lines (Logger) are not what is under test; keep them off the console unless a level is set.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  try {
    await fn();
  } finally {
    for (const name of ['POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_LOG_LEVEL'] as const) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    write.mockRestore();
  }
  return lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((doc): doc is EmfDocument => typeof doc._aws === 'object' && doc._aws !== null);
}

/** Telemetry with metrics on stdout and no trace export (create it inside captureEmf). */
export function emfTelemetry(serviceName: string, release: string): ServiceTelemetry {
  return createServiceTelemetry(serviceName, {
    env: { RELEASE_VERSION: release, OTEL_TRACES_EXPORTER: 'none' },
  });
}

/**
 * The EMF lines the shared HTTP layer (http.ts) writes for a 200, a 404 and a 500 of `serviceName`, served on
 * 127.0.0.1: what any container behind it emits per request.
 */
export async function requestEmf(serviceName: string, release: string): Promise<EmfDocument[]> {
  return captureEmf(async () => {
    const telemetry = emfTelemetry(serviceName, release);
    const server = createJsonServer({
      telemetry,
      routes: [
        { method: 'GET', path: '/ok', handler: () => ({ status: 200, body: {} }) },
        {
          method: 'GET',
          path: '/fail',
          handler: () => {
            throw new HttpError(503, 'unavailable', 'try again');
          },
        },
      ],
    });
    const port = await listen(server, 0, '127.0.0.1');
    try {
      for (const path of ['/ok', '/missing', '/fail']) await fetch(`http://127.0.0.1:${port}${path}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await telemetry.tracing.shutdown();
    }
  });
}
