import type { Server } from 'node:http';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import { createJsonServer, listen, portFromEnv } from '@securecart/shared/http';
import { type Clock, NightlyReconciler, type StopOutcome, type Timer } from './nightly';
import type { ReconciliationReport } from './reconcile';
import { formatTimeOfDay, parseTimeOfDay } from './schedule';
import type { ReconciliationSource } from './source';

export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 100;

/** The signals the worker listens to (the process in production, an EventEmitter in tests). */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface WorkerOptions {
  telemetry: ServiceTelemetry;
  source: ReconciliationSource;
  /** Where each run's report is written besides the log (the S3 exports' `reports/<date>.json`). */
  writeReport?: (report: ReconciliationReport) => Promise<void>;
  env: NodeJS.ProcessEnv;
  signals: SignalSource;
  exit: (code: number) => void;
  clock?: Clock;
  timer?: Timer;
  /** Interface and port to bind /health on (default 0.0.0.0 and PORT; tests use 127.0.0.1 and 0). */
  host?: string;
  port?: number;
}

export interface RunningWorker {
  readonly port: number;
  readonly reconciler: NightlyReconciler;
  /** What SIGTERM/SIGINT do: stop scheduling, let a run finish (or abandon it), close, flush, exit 0. */
  shutdown(signal: string): Promise<StopOutcome>;
}

/**
 * The long-running order-batch worker (ECS service on EC2): reconciles yesterday every night at
 * RECONCILE_AT (UTC, default 02:00), serves GET /health (container health check) and GET /status.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { telemetry, env } = options;
  const at = parseTimeOfDay(env.RECONCILE_AT);
  const graceSeconds = Number(env.SHUTDOWN_GRACE_SECONDS?.trim() || DEFAULT_SHUTDOWN_GRACE_SECONDS);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new Error(
      `SHUTDOWN_GRACE_SECONDS must be a non-negative number, got "${env.SHUTDOWN_GRACE_SECONDS}"`,
    );
  }
  const reconciler = new NightlyReconciler({
    telemetry,
    source: options.source,
    at,
    ...(options.writeReport ? { writeReport: options.writeReport } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timer ? { timer: options.timer } : {}),
  });
  const server = createJsonServer({
    telemetry,
    routes: [{ method: 'GET', path: '/status', handler: () => ({ status: 200, body: reconciler.status() }) }],
  });
  const port = await listen(server, options.port ?? portFromEnv(env), options.host ?? '0.0.0.0');
  reconciler.start();
  telemetry.logger.info('worker started', {
    port,
    reconcileAt: `${formatTimeOfDay(at)} UTC`,
    exports: options.source.location,
  });

  let stopping: Promise<StopOutcome> | undefined;
  const shutdown = (signal: string) => {
    stopping ??= stop(signal, reconciler, server, telemetry, graceSeconds * 1000).then(
      (outcome) => {
        options.exit(0);
        return outcome;
      },
      (error: unknown) => {
        telemetry.logger.error('shutdown failed', { error: error as Error });
        options.exit(1);
        return 'abandoned' as const;
      },
    );
    return stopping;
  };
  options.signals.once('SIGTERM', () => void shutdown('SIGTERM'));
  options.signals.once('SIGINT', () => void shutdown('SIGINT'));
  return { port, reconciler, shutdown };
}

async function stop(
  signal: string,
  reconciler: NightlyReconciler,
  server: Server,
  telemetry: ServiceTelemetry,
  graceMs: number,
): Promise<StopOutcome> {
  telemetry.logger.info('shutting down', { signal, graceMs });
  const outcome = await reconciler.stop(graceMs);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await telemetry.tracing.shutdown();
  telemetry.logger.info('stopped', { outcome });
  return outcome;
}
