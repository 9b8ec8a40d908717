import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import type { Revision } from '../port';

/**
 * The release a Deployment runs, on the Deployment and on its pod template. Pods read the template's
 * value into RELEASE_VERSION through the downward API, so it is also the version their traces carry; a
 * later run reads it back (with the container's image, the revision's ref) to find what an interrupted
 * release left.
 */
export const RELEASE_ANNOTATION = 'tollgate.dev/release';

export type TrackName = 'stable' | 'canary';

/** One of the workload's two Deployments, as last read. */
export interface Track {
  /** The Deployment's name, which its Service (a target group of the weighted action) shares. */
  name: string;
  revision: Revision;
  /** spec.replicas (Kubernetes defaults it to 1). */
  replicas: number;
  container: string;
  deployment: V1Deployment;
}

/** The `track` label of a Deployment (`stable` or `canary`), as the workload's manifests set it. */
export function trackLabel(deployment: V1Deployment): TrackName | undefined {
  const label = deployment.metadata?.labels?.track;
  return label === 'stable' || label === 'canary' ? label : undefined;
}

export function readTrack(deployment: V1Deployment): Track {
  const name = deployment.metadata?.name ?? '';
  const container = releasedContainer(deployment);
  const version =
    deployment.spec?.template.metadata?.annotations?.[RELEASE_ANNOTATION] ??
    deployment.metadata?.annotations?.[RELEASE_ANNOTATION];
  if (!version) {
    throw new Error(
      `Deployment ${deployment.metadata?.namespace}/${name} has no ${RELEASE_ANNOTATION} annotation on its pod ` +
        'template, so Tollgate cannot tell which release it runs; add it to the manifests as the workload README shows',
    );
  }
  return {
    name,
    revision: { version, ref: container.image ?? '' },
    replicas: deployment.spec?.replicas ?? 1,
    container: container.name,
    deployment,
  };
}

/**
 * The container Tollgate sets the image of: the only one, or, beside sidecars, the one named like the
 * Deployment's `app` label (the EKS target names no container).
 */
function releasedContainer(deployment: V1Deployment): V1Container {
  const containers = deployment.spec?.template.spec?.containers ?? [];
  const app = deployment.metadata?.labels?.app;
  const container =
    containers.length === 1 ? containers[0] : containers.find((candidate) => candidate.name === app);
  if (!container) {
    throw new Error(
      `Deployment ${deployment.metadata?.namespace}/${deployment.metadata?.name} has ${containers.length} containers ` +
        `and none is named like its app label (${app ?? 'none'}); Tollgate cannot tell which one to release`,
    );
  }
  return container;
}

/**
 * A strategic merge patch that makes `track` run `revision`: the image of its container (merged by name,
 * so other containers and fields stay), the release annotation on the Deployment and its pod template,
 * and, when given, the replica count.
 */
export function releasePatch(track: Track, revision: Revision, replicas?: number): object {
  const annotations = { [RELEASE_ANNOTATION]: revision.version };
  return {
    metadata: { annotations },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      template: {
        metadata: { annotations },
        spec: { containers: [{ name: track.container, image: revision.ref }] },
      },
    },
  };
}

/** A strategic merge patch that only scales the Deployment. */
export function scalePatch(replicas: number): object {
  return { spec: { replicas } };
}
