import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from './faults/fault-plan';
import { type CloudWatchService, createCloudWatchService } from './services/cloudwatch/cloudwatch-service';
import { provisionCloudWatch } from './services/cloudwatch/provision';
import { createLogsService, type LogsService } from './services/logs/logs-service';
import { provisionLogs } from './services/logs/provision';
import type { ServiceDefinition } from './services/service';
import { createXRayService, type XRayService } from './services/xray/xray-service';
import { OTLP_TRACES_PATH, otlpHandler } from './telemetry/otlp-receiver';
import {
  createTelemetrySink,
  createTelemetryStores,
  type TelemetrySink,
  type TelemetryStores,
} from './telemetry/sink';
import { startXRayDaemon } from './telemetry/xray-daemon';

export interface SignalsOptions {
  clock: ScaledClock;
  faults: FaultPlan;
  manifest: ReleaseManifest;
  /** Create `aws/spans` even where the manifest does not say `traceSource: spans`. */
  transactionSearch?: boolean;
  /**
   * Evaluate alarms every cloud minute on the clock (default true). Tests on a VirtualClock turn it off
   * and call `evaluateAlarms()` after moving time, since sleeping on a virtual clock returns at once.
   */
  evaluationLoop?: boolean;
}

export interface Signals {
  sink: TelemetrySink;
  definitions: ServiceDefinition[];
  /** `127.0.0.1:<udp port>`: the X-Ray daemon (AWS_XRAY_DAEMON_ADDRESS of Lambda processes). */
  daemonAddress: string;
  otlpPath: '/v1/traces';
  otlpHandler: (req: IncomingMessage, res: ServerResponse) => void;
  stores: TelemetryStores;
  cloudwatch: CloudWatchService;
  xray: XRayService;
  logs: LogsService;
  /** Alarm names the manifest lists without an `alarmRules` entry to create them from. */
  alarmsWithoutRules: string[];
  /** One evaluation of every alarm at the clock's now. */
  evaluateAlarms(): void;
  close(): Promise<void>;
}

const EVALUATION_INTERVAL_MS = 60_000;

/**
 * The signals side of the local cloud: the telemetry sink and its stores, the X-Ray daemon, the OTLP
 * receiver, and the CloudWatch, X-Ray and Logs services over them, provisioned from the manifest.
 */
export async function createSignals(options: SignalsOptions): Promise<Signals> {
  const { clock, manifest } = options;
  const stores = createTelemetryStores();
  const accounts = logGroupAccounts(manifest);
  const sink = createTelemetrySink(stores, { clock, accountOfLogGroup: (group) => accounts.get(group) });
  const cloudwatch = createCloudWatchService({ clock, metrics: stores.metrics });
  const { withoutRules } = provisionCloudWatch(cloudwatch, manifest, { now: clock.now() });
  const xray = createXRayService({ clock, traces: stores.traces });
  const logs = createLogsService({ clock, spans: stores.spans });
  provisionLogs(logs, manifest, options.transactionSearch ? { transactionSearch: true } : {});
  const daemon = await startXRayDaemon(sink);
  const stop = new AbortController();
  const loop =
    options.evaluationLoop === false ? Promise.resolve() : evaluationLoop(clock, cloudwatch, stop.signal);
  return {
    sink,
    definitions: [cloudwatch.definition, xray.definition, logs.definition],
    daemonAddress: daemon.address,
    otlpPath: OTLP_TRACES_PATH,
    otlpHandler: otlpHandler(sink),
    stores,
    cloudwatch,
    xray,
    logs,
    alarmsWithoutRules: withoutRules,
    evaluateAlarms: () => cloudwatch.evaluate(),
    close: async () => {
      stop.abort();
      await loop;
      await Promise.all([daemon.close(), cloudwatch.close(), xray.close(), logs.close()]);
    },
  };
}

/** Evaluates at each cloud minute boundary until stopped; an evaluation error is reported, not fatal. */
async function evaluationLoop(
  clock: ScaledClock,
  cloudwatch: CloudWatchService,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const now = clock.now();
    await clock.sleep(EVALUATION_INTERVAL_MS - (now % EVALUATION_INTERVAL_MS), signal);
    if (signal.aborted) return;
    try {
      cloudwatch.evaluate();
    } catch (error) {
      console.error(
        `the local CloudWatch could not evaluate its alarms: ${error instanceof Error ? error.message : error}`,
      );
    }
    // A clock whose sleep returns at once must not starve the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function logGroupAccounts(manifest: ReleaseManifest): Map<string, string> {
  const accounts = new Map<string, string>();
  for (const entry of Object.values(manifest.workloads)) {
    for (const target of Object.values(entry.environments)) accounts.set(target.logGroup, target.account);
  }
  return accounts;
}
