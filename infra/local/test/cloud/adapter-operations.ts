import type { Permission } from '@tollgate/pipelines/aws/permission';
import { METHOD_PERMISSIONS, SIGNAL_PERMISSIONS } from '@tollgate/pipelines/backends/aws-permissions';

/** An IAM prefix → the SigV4 signing name the local service answers to (the credential scope's service). */
export const SIGNING_NAMES: Readonly<Record<string, string>> = {
  cloudwatch: 'monitoring',
  lambda: 'lambda',
  codedeploy: 'codedeploy',
  ecs: 'ecs',
  eks: 'eks',
  apprunner: 'apprunner',
  xray: 'xray',
  logs: 'logs',
};

/**
 * Actions an adapter only presigns: the EKS cluster token is a presigned GetCallerIdentity that EKS, not
 * Tollgate, sends (platforms/eks/permissions.ts); locally the Kubernetes API server checks it
 * (kubernetes/bearer-token.ts), so no request of it reaches the AWS endpoint.
 */
export const PRESIGNED_ONLY: ReadonlySet<string> = new Set(['sts:GetCallerIdentity']);

/** One operation as the wire names it: the service's signing name and the SDK's operation name. */
export interface WireOperation {
  signingName: string;
  operation: string;
}

export interface AdapterOperations {
  /** Operations the adapters and gates send, once each, with the actions that name them. */
  sent: Map<string, WireOperation & { actions: string[] }>;
  /** Authorization-only entries (`checkedOn`): the operation IAM checks them on must be sent itself. */
  checkedOn: { action: string; on: WireOperation | undefined; checkedOn: string }[];
  /** Actions whose prefix maps to no local service: a new AWS service the local cloud knows nothing of. */
  unmapped: string[];
}

/** Every entry of the published permission lists, as the operations the local cloud must serve. */
export function adapterOperations(): AdapterOperations {
  const permissions: Permission[] = [
    ...Object.values(METHOD_PERMISSIONS).flat(),
    ...Object.values(SIGNAL_PERMISSIONS).flat(),
  ];
  const result: AdapterOperations = { sent: new Map(), checkedOn: [], unmapped: [] };
  for (const permission of permissions) {
    if (permission.checkedOn !== undefined) {
      const on = wireOperation(permission.checkedOn);
      result.checkedOn.push({ action: permission.action, on, checkedOn: permission.checkedOn });
      continue;
    }
    if (PRESIGNED_ONLY.has(permission.action)) continue;
    const operation = wireOperation(permission.action);
    if (!operation) {
      result.unmapped.push(permission.action);
      continue;
    }
    const key = keyOf(operation);
    const entry = result.sent.get(key) ?? { ...operation, actions: [] };
    if (!entry.actions.includes(permission.action)) entry.actions.push(permission.action);
    result.sent.set(key, entry);
  }
  return result;
}

/** `cloudwatch:DescribeAlarms` → `monitoring DescribeAlarms`; undefined for a prefix no local service has. */
export function wireOperation(action: string): WireOperation | undefined {
  const [prefix = '', operation = ''] = action.split(':');
  const signingName = SIGNING_NAMES[prefix];
  return signingName && operation ? { signingName, operation } : undefined;
}

export function keyOf(operation: WireOperation): string {
  return `${operation.signingName} ${operation.operation}`;
}
