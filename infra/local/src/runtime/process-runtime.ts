import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TelemetrySink } from '../telemetry/sink';
import { containerEnv, releaseOf } from './container-env';
import { ContainerProcess } from './container-process';
import type { ContainerRuntime, ContainerSpec, RunningContainer } from './container-runtime';
import { freePort } from './free-port';
import { bundleWorkload } from './workload-bundle';

/** The repository's workloads folder, from this file's place in infra/local/src/runtime. */
const DEFAULT_WORKLOADS_ROOT = fileURLToPath(new URL('../../../../workloads', import.meta.url));
const PORT_ATTEMPTS = 3;

export interface ProcessRuntimeOptions {
  sink: Pick<TelemetrySink, 'logLine'>;
  /** OTLP/HTTP endpoint: a base URL (the workloads' exporter appends `/v1/traces`) or the `…/v1/traces` URL. */
  otlpEndpoint: string;
  workloadsRoot?: string;
  /** Bound on a container answering /health 200 after it starts (real ms). */
  startTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL (real ms). */
  stopGraceMs?: number;
}

/**
 * Containers as local Node processes running the workloads' real servers, each bundled once per runtime
 * as its image would be, listening on 127.0.0.1 ports the runtime picks.
 */
export function createProcessRuntime(options: ProcessRuntimeOptions): ContainerRuntime {
  const workloadsRoot = options.workloadsRoot ?? DEFAULT_WORKLOADS_ROOT;
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const stopGraceMs = options.stopGraceMs ?? 3_000;
  const bundles = new Map<string, Promise<string>>();
  const containers = new Set<RunningContainer>();

  const bundleOf = (workload: string): Promise<string> => {
    let bundle = bundles.get(workload);
    if (!bundle) {
      bundle = bundleWorkload(workloadsRoot, workload);
      bundles.set(workload, bundle);
      bundle.catch(() => bundles.delete(workload));
    }
    return bundle;
  };

  return {
    async start(spec) {
      const bundle = await bundleOf(spec.workload);
      const deadline = Date.now() + startTimeoutMs;
      const { process: child, port } = await spawnOnFreePort(spec, bundle, options, deadline);
      const container = runningContainer(spec, child, port, deadline, () => {
        containers.delete(container);
        return child.stop(stopGraceMs);
      });
      containers.add(container);
      return container;
    },
    async stopAll() {
      await Promise.all([...containers].map((container) => container.stop()));
    },
  };
}

/** Spawns on a port just found free; when another process took it first (EADDRINUSE), again on a new one. */
async function spawnOnFreePort(
  spec: ContainerSpec,
  bundle: string,
  options: ProcessRuntimeOptions,
  deadline: number,
): Promise<{ process: ContainerProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const env = containerEnv({ spec, port, otlpEndpoint: options.otlpEndpoint });
    const child = new ContainerProcess({ bundle, env, logGroup: spec.logGroup, sink: options.sink });
    const outcome = await child.untilListening(deadline);
    const portTaken = outcome === 'exited' && child.stderrTail().some((line) => line.includes('EADDRINUSE'));
    if (!portTaken || attempt === PORT_ATTEMPTS) return { process: child, port };
  }
}

function runningContainer(
  spec: ContainerSpec,
  child: ContainerProcess,
  port: number,
  deadline: number,
  stop: () => Promise<void>,
): RunningContainer {
  const url = `http://127.0.0.1:${port}`;
  const ready = untilHealthy(spec, child, url, deadline);
  // A caller that never awaits `ready` must not turn a crash on start into an unhandled rejection.
  ready.catch(() => undefined);
  return {
    id: randomBytes(16).toString('hex'),
    spec,
    url,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    ready,
    running: () => child.running(),
    stop,
  };
}

function describe(spec: ContainerSpec): string {
  return `${spec.workload} ${releaseOf(spec) ?? spec.image}`;
}

/** The message a failed start ends with: the error line the process printed, else its last stderr lines. */
function lastWords(child: ContainerProcess): string {
  const tail = child.stderrTail();
  const errorLine = [...tail].reverse().find((line) => /^\s*(\w*Error|\w+: )/.test(line));
  const lines = errorLine ? [errorLine] : tail.slice(-3);
  const text = lines.map((line) => shorten(line.trim(), 300)).join(' | ');
  return text ? `: ${text}` : ' (it printed nothing on stderr)';
}

function shorten(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

async function untilHealthy(
  spec: ContainerSpec,
  child: ContainerProcess,
  url: string,
  deadline: number,
): Promise<void> {
  for (;;) {
    const exit = child.exitStatus();
    if (exit) {
      const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
      throw new Error(`${describe(spec)} ${how} before /health answered 200${lastWords(child)}`);
    }
    if (await healthOk(url)) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `${describe(spec)} did not answer GET /health with 200 in time; check its logs${lastWords(child)}`,
      );
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), child.exited]);
  }
}

async function healthOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
