import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { FaultPlan } from '../../../faults/fault-plan';
import { versionFault } from '../../../faults/fault-plan';
import type { FunctionIdentity, FunctionSettings } from '../function-state';

export interface EnvironmentFacts {
  /** `provisioned-concurrency` for an environment started ahead of traffic (Powertools then reports no cold start). */
  initialization?: InitializationType;
  identity: FunctionIdentity;
  settings: FunctionSettings;
  /** The version that runs (`$LATEST` or a number). */
  version: string;
  taskRoot: string;
  /** `127.0.0.1:<port>` of the X-Ray daemon. */
  daemonAddress: string;
  /** SECURECART_INJECTED_FAULTS, or '' for none. */
  faults: string;
}

/**
 * The process environment of one execution environment: what Lambda's Node.js runtime sets (handler,
 * task root, function name, version and memory, Region, log group and stream, X-Ray daemon and context
 * strategy, an on-demand initialization), then the function's own variables, and the version's injected
 * faults. Nothing of the local cloud's own process leaks in.
 */
export type InitializationType = 'on-demand' | 'provisioned-concurrency';

export function functionEnvironment(facts: EnvironmentFacts): Record<string, string> {
  const { identity, settings, version, taskRoot, daemonAddress, faults } = facts;
  const initialization = facts.initialization ?? 'on-demand';
  const [daemonHost = '127.0.0.1', daemonPort = '2000'] = daemonAddress.split(':');
  return {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...settings.environment,
    _HANDLER: settings.handler,
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_EXECUTION_ENV: `AWS_Lambda_${settings.runtime}`,
    AWS_REGION: identity.region,
    AWS_DEFAULT_REGION: identity.region,
    AWS_LAMBDA_FUNCTION_NAME: identity.name,
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: initialization,
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${identity.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(version),
    AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
    _AWS_XRAY_DAEMON_ADDRESS: daemonHost,
    _AWS_XRAY_DAEMON_PORT: daemonPort,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    ...(faults ? { SECURECART_INJECTED_FAULTS: faults } : {}),
  };
}

/** The FaultPlan's entry for the workload's release (its RELEASE_VERSION) as the variable's JSON, or ''. */
export function injectedFaults(
  plan: FaultPlan,
  identity: FunctionIdentity,
  settings: FunctionSettings,
): string {
  const release = settings.environment.RELEASE_VERSION;
  if (!identity.workload || !release) return '';
  const fault = versionFault(plan, identity.workload, release);
  if (!fault) return '';
  const { workload: _workload, version: _version, ...faults } = fault;
  return JSON.stringify(faults);
}

/** `2026/01/01/[3]<32 hex>`, as Lambda names an environment's log stream. */
function logStreamName(version: string): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}
