import type { EnvironmentConfig } from './config';

/**
 * Deterministic physical names. The release manifest and the deploy role's policies are built from
 * these strings, so they must never be CloudFormation tokens.
 */
export const APP = 'securecart';

/** `securecart-<env>-<workload>`: function, service, alarm prefix, CodeDeploy app and group names. */
export function resourceName(env: EnvironmentConfig, workload: string, suffix?: string): string {
  return [APP, env.name, workload, suffix].filter(Boolean).join('-');
}

/** `sc-<env3>-<workload>[-suffix]` for ALB and target group names (max 32 characters). */
export function shortName(env: EnvironmentConfig, workload: string, suffix?: string): string {
  const name = ['sc', env.shortName, workload, suffix].filter(Boolean).join('-');
  if (name.length > 32) {
    throw new Error(`short name "${name}" is ${name.length} characters; ALB/target group names allow 32`);
  }
  return name;
}

export function alarmName(env: EnvironmentConfig, workload: string, signal: string): string {
  return resourceName(env, workload, signal);
}

export function clusterName(env: EnvironmentConfig, kind: 'ecs' | 'eks'): string {
  return `${APP}-${env.name}-${kind}`;
}

export function deployRoleName(env: EnvironmentConfig): string {
  return `${APP}-${env.name}-github-deploy`;
}

/** The X-Ray service name a workload reports (the OpenTelemetry `service.name` / Lambda function name). */
export function xrayServiceName(env: EnvironmentConfig, workload: string): string {
  return resourceName(env, workload);
}

/**
 * The release of everything CloudFormation creates (first Lambda version, first task definition revision,
 * first App Runner image, first state machine version): the bootstrap artifact, until a release replaces it.
 */
export const BOOTSTRAP_RELEASE = 'bootstrap';
