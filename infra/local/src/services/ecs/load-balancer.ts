import { albMetricTable, type MetricTable } from '../../runtime/router-metrics';
import type { RouterTarget, WeightedRouter } from '../../runtime/weighted-router';

/**
 * An Application Load Balancer as the local cloud runs it: one WeightedRouter stands for its production
 * listener, forwarding to the blue and the green target group by the listener rule's weights. Each target
 * group forwards to the tasks registered with it (the router's target for that group is its tasks' URL).
 */

/** The part of LC-RUNTIME's WeightedRouter the load balancer drives. */
export type Router = Pick<WeightedRouter, 'url' | 'setTargets' | 'close'>;

/**
 * Starts the router of one listener, vending `metrics` per request (the assembler:
 * `(options) => startWeightedRouter({ sink, ...options })`).
 */
export type StartRouter = (options: { name: string; metrics: MetricTable }) => Promise<Router>;

export type TargetGroupLabel = 'blue' | 'green';

export interface LoadBalancerNames {
  loadBalancerName: string;
  targetGroups: Record<TargetGroupLabel, string>;
  productionListenerPort: number;
  testListenerPort: number;
}

/** Starts the production listener of an ALB; its router targets are the target groups, by name. */
export async function startLoadBalancer(
  names: LoadBalancerNames,
  routers: StartRouter,
): Promise<LoadBalancer> {
  const name = `${names.loadBalancerName} :${names.productionListenerPort}`;
  const router = await routers({
    name,
    metrics: albMetricTable({ loadBalancerName: names.loadBalancerName }),
  });
  return new LoadBalancer(names, router);
}

/** Weights are set in tenths of a percent: ECS shifts multiples of 0.1%, the router takes integers. */
const TENTHS = 10;

export class LoadBalancer {
  private readonly urls: Partial<Record<TargetGroupLabel, string>> = {};
  private greenPercent = 0;

  constructor(
    readonly names: LoadBalancerNames,
    private readonly router: Router,
  ) {}

  /** The production listener's URL. */
  get url(): string {
    return this.router.url;
  }

  /** The green target group's share of the production listener's traffic, 0..100. */
  get greenWeight(): number {
    return this.greenPercent;
  }

  /** Registers a revision's tasks with a target group (undefined: deregisters them). */
  async register(group: TargetGroupLabel, url: string | undefined): Promise<void> {
    if (url === undefined) delete this.urls[group];
    else this.urls[group] = url;
    await this.apply();
  }

  /** Moves the listener rule's weights: `percent` of production traffic to `group`, the rest to the other. */
  async weigh(group: TargetGroupLabel, percent: number): Promise<void> {
    const share = Math.min(100, Math.max(0, percent));
    this.greenPercent = group === 'green' ? share : 100 - share;
    await this.apply();
  }

  /** The percent of production traffic `group` gets. */
  weightOf(group: TargetGroupLabel): number {
    return group === 'green' ? this.greenPercent : 100 - this.greenPercent;
  }

  close(): Promise<void> {
    return this.router.close();
  }

  private async apply(): Promise<void> {
    const targets: RouterTarget[] = [];
    for (const group of ['blue', 'green'] as const) {
      const url = this.urls[group];
      const weight = Math.round(this.weightOf(group) * TENTHS);
      if (url && weight > 0) targets.push({ id: this.names.targetGroups[group], url, weight });
    }
    await this.router.setTargets(targets);
  }
}

export const otherGroup = (group: TargetGroupLabel): TargetGroupLabel =>
  group === 'blue' ? 'green' : 'blue';
