import type { VersionFault } from '../faults/fault-plan';
import type { ContainerSpec } from './container-runtime';
import { LOCAL_AUTH_SIGNING_KEY, localAuthUsersJson } from './local-auth';

/** The variable workloads/shared/injected-faults.ts reads. */
export const INJECTED_FAULTS_VARIABLE = 'SECURECART_INJECTED_FAULTS';

/**
 * Spans leave a container in batches; the SDK's default 5 s batch delay would be minutes of cloud time under
 * a time scale, so local containers flush every 200 ms unless their spec says otherwise.
 */
const LOCAL_SPAN_BATCH_DELAY_MS = '200';

/** What a workload needs to start on a laptop that its AWS environment would inject (secrets, files). */
function localDefaults(workload: string): Record<string, string> {
  if (workload === 'auth') {
    return { AUTH_SIGNING_KEY: LOCAL_AUTH_SIGNING_KEY, AUTH_USERS_JSON: localAuthUsersJson() };
  }
  return {};
}

/** The version: RELEASE_VERSION from the spec, else the image tag (`…/auth:2.0.0` → `2.0.0`). */
export function releaseOf(spec: ContainerSpec): string | undefined {
  const given = spec.env.RELEASE_VERSION?.trim();
  if (given) return given;
  const lastSegment = spec.image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1) : '';
  return tag && tag !== 'latest' ? tag : undefined;
}

/** The VersionFault as the process reads it: what it acts out, without whom it applies to. */
export function injectedFaultsJson(fault: VersionFault | undefined): string | undefined {
  if (!fault) return undefined;
  const { workload: _workload, version: _version, ...acted } = fault;
  return Object.keys(acted).length > 0 ? JSON.stringify(acted) : undefined;
}

export interface ContainerEnvOptions {
  spec: ContainerSpec;
  port: number;
  otlpEndpoint: string;
}

/**
 * The process environment: a clean one (as a container's is, nothing of the host's leaks in but PATH),
 * NODE_ENV as the images set it, local stand-ins for injected secrets, the spec's env, then what the runtime
 * owns and nobody may override: PORT and HOST, the OTLP endpoint (a task definition's sidecar address means nothing
 * here), RELEASE_VERSION and the injected faults.
 */
export function containerEnv({ spec, port, otlpEndpoint }: ContainerEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    OTEL_BSP_SCHEDULE_DELAY: LOCAL_SPAN_BATCH_DELAY_MS,
    ...localDefaults(spec.workload),
    ...spec.env,
    PORT: String(port),
    // Loopback only: a local container is reachable through its router, never from the network.
    HOST: '127.0.0.1',
  };
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  delete env.OTEL_TRACES_EXPORTER;
  // A base URL (the exporter appends /v1/traces) or the traces URL itself: both are accepted.
  if (/\/v1\/traces\/?$/.test(otlpEndpoint)) env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = otlpEndpoint;
  else env.OTEL_EXPORTER_OTLP_ENDPOINT = otlpEndpoint;
  delete env[INJECTED_FAULTS_VARIABLE];
  const release = releaseOf(spec);
  if (release) env.RELEASE_VERSION = release;
  const faults = injectedFaultsJson(spec.fault);
  if (faults) env[INJECTED_FAULTS_VARIABLE] = faults;
  return env;
}
