import type { V1Deployment } from '@kubernetes/client-node';
import type { Capabilities } from '../../targets/capabilities';
import type { EksTarget } from '../../targets/manifest';
import type { Clock } from '../../time/clock';
import { checkWeight } from '../capability-limits';
import type { Artifact, EngineDrivenPlatform, Revision, TrafficState } from '../port';
import { KubernetesWorkload, type WorkloadView, workloadObjects } from './eks-workload';
import { imageForVersion, isPinnedImage } from './image-reference';
import type { ClusterAccess } from './kubeconfig';
import { releasePatch, scalePatch, type Track } from './release-annotations';
import { type RolloutLimits, waitForRollout } from './rollout';

export interface EksPlatformOptions {
  workload: string;
  target: EksTarget;
  capabilities: Capabilities;
  cluster: ClusterAccess;
  clock: Clock;
  rollout?: Partial<RolloutLimits>;
}

/** Ten minutes is the Deployment controller's own default progress deadline (progressDeadlineSeconds 600). */
const DEFAULT_ROLLOUT: RolloutLimits = { timeoutMs: 10 * 60_000, pollMs: 5_000 };

/**
 * An EKS workload released by Tollgate through two Deployments (tracks `stable` and `canary`) behind an ALB
 * Ingress whose weighted forward action splits traffic between their Services. Everything a release needs
 * to resume lives on those objects: each track's image and `tollgate.dev/release` annotation, and the
 * weights in the Ingress annotation; nothing is kept in this process.
 *
 * - shift: the canary track takes the image, release annotation and enough replicas for its share; once
 *   they are ready, the weights move.
 * - promote: the stable track takes the image and rolls out; then weights 100/0; then the canary scales
 *   to zero (in that order, so no request is sent to a track without pods).
 * - rollback: weights 100/0, canary to zero, and with `to`, the stable track back to `to`.
 */
export class EksPlatform implements EngineDrivenPlatform {
  readonly driver = 'engine';
  readonly workload: string;
  readonly capabilities: Capabilities;
  private readonly cluster: KubernetesWorkload;
  private readonly clock: Clock;
  private readonly limits: RolloutLimits;
  /** The latest change begun; an older one still waiting on a rollout stops before it writes. */
  private latestChange = 0;

  constructor(options: EksPlatformOptions) {
    this.workload = options.workload;
    this.capabilities = options.capabilities;
    this.clock = options.clock;
    this.limits = { ...DEFAULT_ROLLOUT, ...options.rollout };
    const objects = workloadObjects(options.target);
    this.cluster = new KubernetesWorkload(options.workload, objects, options.cluster, (ms) =>
      options.clock.sleep(ms),
    );
  }

  async current(): Promise<TrafficState> {
    return trafficOf(await this.cluster.read());
  }

  async prepare(artifact: Artifact): Promise<Revision> {
    const { version, source } = artifact;
    if (source && source.kind !== 'image') {
      throw new Error(
        `${this.workload} runs on EKS, which releases container images: ${version} was given as a ` +
          `${source.kind} artifact; pass its image (an ECR image URI, ideally by digest)`,
      );
    }
    const { stable, canary } = await this.cluster.read();
    if (source) return this.imageRevision(stable, version, source.uri);
    const known = [stable.revision, canary.revision].find((revision) => revision.version === version);
    if (known) return { ...known };
    const image = imageForVersion(stable.revision.ref, version);
    if (!image) {
      throw new Error(
        `no image was given for ${version}, and "${version}" cannot be a tag of the stable image ` +
          `${stable.revision.ref}; pass the image`,
      );
    }
    return { version, ref: image };
  }

  async shift(revision: Revision, weight: number): Promise<void> {
    checkWeight(weight, this.capabilities);
    const change = this.begin();
    const view = await this.cluster.read();
    this.refuseShift(view, revision);
    const { canary } = view;
    const holds = sameRevision(canary.revision, revision);
    const replicas = canaryReplicas(view.stable.replicas, weight);
    if (!holds && view.canaryPercent > 0) {
      // Only a track left holding the stable revision gets here: take its traffic before changing it.
      await this.setCanaryPercent(view, 0, change, 'take traffic off the canary track');
    }
    let deployment = canary.deployment;
    if (!holds || canary.replicas < replicas) {
      this.stillWanted(change);
      deployment = await this.cluster.patchDeployment(
        canary.name,
        releasePatch(canary, revision, replicas),
        `start ${revision.version} on ${replicas} canary replicas (Deployment ${canary.name})`,
      );
    }
    await this.waitForRollout(canary, deployment, `the canary rollout of ${revision.version}`, change);
    await this.setCanaryPercent(view, weight, change, `shift ${weight}% of traffic to ${revision.version}`);
  }

  async promote(revision: Revision): Promise<void> {
    const change = this.begin();
    const view = await this.cluster.read();
    const { stable } = view;
    let deployment = stable.deployment;
    if (!sameRevision(stable.revision, revision)) {
      this.stillWanted(change);
      deployment = await this.cluster.patchDeployment(
        stable.name,
        releasePatch(stable, revision),
        `roll out ${revision.version} on the stable track (Deployment ${stable.name})`,
      );
    }
    await this.waitForRollout(stable, deployment, `the stable rollout of ${revision.version}`, change);
    await this.setCanaryPercent(
      view,
      0,
      change,
      `send all traffic to ${revision.version} on the stable track`,
    );
    await this.scaleCanaryToZero(view, change);
  }

  async rollback(to?: Revision): Promise<void> {
    const change = this.begin();
    const view = await this.cluster.read();
    const { stable } = view;
    await this.setCanaryPercent(view, 0, change, `send all traffic back to ${stable.revision.version}`);
    await this.scaleCanaryToZero(view, change);
    const restore = to && !sameRevision(stable.revision, to) ? to : undefined;
    if (restore) {
      if (!isPinnedImage(restore.ref)) {
        throw new Error(
          `all traffic is on ${stable.revision.version}, but ${this.workload} cannot be rolled back to ` +
            `${restore.version}: "${restore.ref}" is not an image reference with a tag or digest`,
        );
      }
      // Not waited for: the old pods serve until the restored ones are ready, and the engine bounds a
      // rollback to two minutes, less than a rollout may take. current() reports `to` as stable from here.
      this.stillWanted(change);
      await this.cluster.patchDeployment(
        stable.name,
        releasePatch(stable, restore),
        `restore ${restore.version} on the stable track (Deployment ${stable.name})`,
      );
    }
  }

  private imageRevision(stable: Track, version: string, image: string): Revision {
    if (!isPinnedImage(image)) {
      throw new Error(`"${image}" is not a container image reference with a tag or digest (${version})`);
    }
    if (stable.revision.version === version && stable.revision.ref !== image) {
      throw new Error(
        `${version} is already stable on ${this.workload} as ${stable.revision.ref}; traces could not tell ` +
          `${image} apart from it, so release it under a new version`,
      );
    }
    return { version, ref: image };
  }

  private refuseShift({ stable, canary, canaryPercent }: WorkloadView, revision: Revision): void {
    const name = `${revision.version} (${revision.ref})`;
    if (sameRevision(stable.revision, revision)) {
      throw new Error(
        `cannot shift traffic to ${name}: it is already the stable revision of ${this.workload}`,
      );
    }
    if (stable.revision.version === revision.version) {
      throw new Error(
        `cannot shift traffic to ${name}: the stable track runs ${stable.revision.ref} as the same version`,
      );
    }
    const other = !sameRevision(canary.revision, revision) && !sameRevision(canary.revision, stable.revision);
    if (other && canaryPercent > 0) {
      throw new Error(
        `cannot shift traffic to ${name}: canary ${canary.revision.version} (${canary.revision.ref}) still has ` +
          `${canaryPercent}% of ${this.workload}; roll it back first`,
      );
    }
  }

  private async setCanaryPercent(view: WorkloadView, percent: number, change: number, what: string) {
    this.stillWanted(change);
    await this.cluster.setCanaryPercent(view, percent, what);
  }

  private async scaleCanaryToZero({ canary }: WorkloadView, change: number): Promise<void> {
    if (canary.replicas === 0) return;
    this.stillWanted(change);
    await this.cluster.patchDeployment(
      canary.name,
      scalePatch(0),
      `scale the canary track to zero (Deployment ${canary.name})`,
    );
  }

  private waitForRollout(track: Track, deployment: V1Deployment, what: string, change: number) {
    return waitForRollout(deployment, () => this.cluster.readDeployment(track.name), {
      clock: this.clock,
      limits: this.limits,
      what,
      stillWanted: () => this.stillWanted(change),
    });
  }

  private begin(): number {
    this.latestChange += 1;
    return this.latestChange;
  }

  private stillWanted(change: number): void {
    if (change !== this.latestChange) {
      throw new Error(
        `a later change to ${this.workload} took over; this one stopped before changing anything more`,
      );
    }
  }
}

/**
 * What the objects say is served. The canary track counts while it has pods or weight; holding the same
 * revision as stable (a promote interrupted before the weights moved) it serves the stable version too.
 */
function trafficOf(view: WorkloadView): TrafficState {
  const { stable, canary, canaryPercent } = view;
  const active = canary.replicas > 0 || canaryPercent > 0;
  if (!active || sameRevision(canary.revision, stable.revision)) {
    return { stable: { ...stable.revision }, canaryWeight: 0 };
  }
  return { stable: { ...stable.revision }, canary: { ...canary.revision }, canaryWeight: canaryPercent };
}

/** Enough canary pods for its share of the stable track's load, at least one. */
export function canaryReplicas(stableReplicas: number, weight: number): number {
  return Math.max(1, Math.ceil((stableReplicas * weight) / 100));
}

function sameRevision(a: Revision, b: Revision): boolean {
  return a.version === b.version && a.ref === b.ref;
}
