import type { Permission } from '../aws/permission';
import { PERMISSIONS as APP_RUNNER } from '../platforms/apprunner/permissions';
import { PERMISSIONS as CODEDEPLOY } from '../platforms/codedeploy/permissions';
import {
  CODEDEPLOY_PERMISSIONS as ECS_CODEDEPLOY,
  NATIVE_PERMISSIONS as ECS_NATIVE,
} from '../platforms/ecs/permissions';
import { PERMISSIONS as EKS } from '../platforms/eks/permissions';
import { PERMISSIONS as LAMBDA } from '../platforms/lambda/permissions';
import { PERMISSIONS as ALARMS } from '../signals/cloudwatch-alarms';
import { PERMISSIONS as SPANS } from '../signals/span-traces';
import type { TraceSourceKind } from '../signals/trace-source-for';
import { PERMISSIONS as XRAY } from '../signals/xray-traces';
import type { ReleaseMethodId } from '../targets/capabilities';

/** What each release method's adapter sends: its deploy role needs these (docs/platforms.md lists them). */
export const METHOD_PERMISSIONS: Record<ReleaseMethodId, readonly Permission[]> = {
  'lambda-alias': LAMBDA,
  'lambda-codedeploy': [...LAMBDA, ...CODEDEPLOY],
  'ecs-native': ECS_NATIVE,
  'ecs-codedeploy': ECS_CODEDEPLOY,
  'eks-ingress': EKS,
  apprunner: APP_RUNNER,
};

/** What the gates send: the alarms, and the one trace source the manifest environment reads. */
export const SIGNAL_PERMISSIONS: Record<TraceSourceKind, readonly Permission[]> = {
  xray: [...ALARMS, ...XRAY],
  spans: [...ALARMS, ...SPANS],
};

/** The IAM actions a deploy role must allow to release by `method` with `traceSource`, sorted, once each. */
export function actionsToGrant(method: ReleaseMethodId, traceSource: TraceSourceKind): string[] {
  const actions = [...METHOD_PERMISSIONS[method], ...SIGNAL_PERMISSIONS[traceSource]].map((p) => p.action);
  return [...new Set(actions)].sort();
}
