import type { V1Ingress, V1IngressBackend } from '@kubernetes/client-node';

/**
 * The weighted forward action of an ALB Ingress, as the AWS Load Balancer Controller (and EKS Auto Mode's
 * load balancing) reads it: an annotation `alb.ingress.kubernetes.io/actions.<name>` holding
 * `{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName","servicePort","weight"}, …]}}`,
 * where `<name>` is the service a rule's backend names with port `use-annotation`.
 */
export const ACTION_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io/actions.';

/** ELB's TargetGroupTuple weight range (Elastic Load Balancing API reference: "The range is 0 to 999"). */
export const MAX_TARGET_GROUP_WEIGHT = 999;

export interface TrackServices {
  stable: string;
  canary: string;
}

interface TargetGroup {
  serviceName?: unknown;
  weight?: unknown;
  [field: string]: unknown;
}

interface ForwardAction {
  type?: unknown;
  forwardConfig?: { targetGroups?: unknown; [field: string]: unknown };
  [field: string]: unknown;
}

/** The action that splits traffic between the two tracks, with the weights it holds now. */
export interface WeightedAction {
  /** The annotation key, `alb.ingress.kubernetes.io/actions.<name>`. */
  key: string;
  action: ForwardAction;
  targetGroups: TargetGroup[];
  stableWeight: number;
  canaryWeight: number;
}

/** Finds the one forward action of `ingress` that routes to both track Services, or says why there is none. */
export function findWeightedAction(ingress: V1Ingress, services: TrackServices): WeightedAction {
  const where = `Ingress ${ingress.metadata?.namespace}/${ingress.metadata?.name}`;
  const annotations = ingress.metadata?.annotations ?? {};
  const candidates = actionNames(ingress)
    .map((name) => `${ACTION_ANNOTATION_PREFIX}${name}`)
    .filter((key) => annotations[key] !== undefined)
    .map((key) => readAction(where, key, annotations[key] as string, services))
    .filter((found) => found !== undefined);
  const [found, another] = candidates;
  if (!found || another) {
    throw new Error(
      `${where} needs exactly one ${ACTION_ANNOTATION_PREFIX}<name> forward action, named by a rule's backend ` +
        `with port "use-annotation", whose targetGroups are the Services ${services.stable} and ${services.canary}; ` +
        `found ${candidates.length}`,
    );
  }
  return found;
}

/** The share of traffic on the canary track, in percent (two decimals), from the target group weights. */
export function canaryPercent(weighted: WeightedAction): number {
  const total = weighted.stableWeight + weighted.canaryWeight;
  return total === 0 ? 0 : Number(((weighted.canaryWeight / total) * 100).toFixed(2));
}

/**
 * The annotation value that sends `percent` (a whole number, the method's increment) to the canary and the
 * rest to stable; every other field of the action (ports, stickiness) is kept as it was.
 */
export function withCanaryPercent(
  weighted: WeightedAction,
  percent: number,
  services: TrackServices,
): string {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`an ALB weight split needs a whole percentage 0..100, got ${percent}`);
  }
  const weights: Record<string, number> = { [services.stable]: 100 - percent, [services.canary]: percent };
  const groups = weighted.targetGroups.map((group) => ({
    ...group,
    weight: weights[group.serviceName as string],
  }));
  const forwardConfig = { ...weighted.action.forwardConfig, targetGroups: groups };
  return JSON.stringify({ ...weighted.action, forwardConfig });
}

function actionNames(ingress: V1Ingress): string[] {
  const backends: (V1IngressBackend | undefined)[] = [ingress.spec?.defaultBackend];
  for (const rule of ingress.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) backends.push(path.backend);
  }
  const names = backends
    .filter((backend) => backend?.service?.port?.name === 'use-annotation')
    .map((backend) => backend?.service?.name as string);
  return [...new Set(names)];
}

function readAction(
  where: string,
  key: string,
  value: string,
  services: TrackServices,
): WeightedAction | undefined {
  let action: ForwardAction;
  try {
    action = JSON.parse(value) as ForwardAction;
  } catch (error) {
    throw new Error(`${where}: annotation ${key} is not JSON (${(error as Error).message})`);
  }
  const groups = action.forwardConfig?.targetGroups;
  if (action.type !== 'forward' || !Array.isArray(groups)) return undefined;
  const stable = groups.find((group: TargetGroup) => group.serviceName === services.stable);
  const canary = groups.find((group: TargetGroup) => group.serviceName === services.canary);
  if (!stable || !canary) return undefined;
  if (groups.length !== 2) {
    throw new Error(
      `${where}: annotation ${key} forwards to ${groups.length} target groups; Tollgate sets the weights ` +
        `of exactly two, ${services.stable} and ${services.canary}`,
    );
  }
  const weighted = {
    key,
    action,
    targetGroups: groups as TargetGroup[],
    stableWeight: weightOf(where, key, stable),
    canaryWeight: weightOf(where, key, canary),
  };
  if (weighted.stableWeight + weighted.canaryWeight === 0) {
    throw new Error(
      `${where}: annotation ${key} gives both tracks weight 0, so it routes traffic to neither`,
    );
  }
  return weighted;
}

function weightOf(where: string, key: string, group: TargetGroup): number {
  const { weight } = group;
  if (
    typeof weight !== 'number' ||
    !Number.isInteger(weight) ||
    weight < 0 ||
    weight > MAX_TARGET_GROUP_WEIGHT
  ) {
    throw new Error(
      `${where}: annotation ${key} gives ${String(group.serviceName)} weight ${JSON.stringify(weight)}; ` +
        `the load balancer needs a whole number 0..${MAX_TARGET_GROUP_WEIGHT} on each of several target groups`,
    );
  }
  return weight;
}
