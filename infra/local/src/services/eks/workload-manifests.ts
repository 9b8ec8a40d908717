import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EksTarget } from '@tollgate/pipelines/targets/manifest';
import { parseAllDocuments } from 'yaml';
import { isObject, type JsonObject } from '../../kubernetes/merge-patches';
import { INITIAL_RELEASE } from '../../provisioning/initial-release';

const RELEASE_ANNOTATION = 'tollgate.dev/release';

/**
 * The target's Kubernetes objects, in the target's apply order, from the workload's manifests
 * (`<repository>/<manifestsPath>/kustomization.yaml` and the files it lists), with the Deployments running
 * the initial release from the target's image repository (`<imageRepository>:1.0.0`), as a first release
 * would have applied them.
 */
export function workloadObjects(target: EksTarget, repositoryRoot: string): JsonObject[] {
  const folder = join(repositoryRoot, target.manifestsPath);
  const documents = manifestFiles(folder).flatMap((file) => readDocuments(join(folder, file)));
  return target.objects.map((ref) => {
    const found = documents.find(
      (d) => d.kind === ref.kind && isObject(d.metadata) && d.metadata.name === ref.name,
    );
    if (!found) {
      throw new Error(
        `${target.manifestsPath} has no ${ref.kind} ${ref.name}, which the release manifest lists for ${target.clusterName}`,
      );
    }
    return ref.kind === 'Deployment' ? atInitialRelease(found, target.imageRepository) : found;
  });
}

function manifestFiles(folder: string): string[] {
  const [kustomization] = readDocuments(join(folder, 'kustomization.yaml'));
  const resources = kustomization?.resources;
  if (!Array.isArray(resources)) throw new Error(`${folder}/kustomization.yaml lists no resources`);
  return resources.map(String);
}

function readDocuments(file: string): JsonObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as unknown)
    .filter(isObject);
}

function atInitialRelease(deployment: JsonObject, imageRepository: string | undefined): JsonObject {
  const copy = structuredClone(deployment);
  const metadata = copy.metadata as JsonObject;
  metadata.annotations = { ...(metadata.annotations as JsonObject), [RELEASE_ANNOTATION]: INITIAL_RELEASE };
  const template = (copy.spec as JsonObject).template as JsonObject;
  const templateMetadata = template.metadata as JsonObject;
  templateMetadata.annotations = {
    ...(templateMetadata.annotations as JsonObject),
    [RELEASE_ANNOTATION]: INITIAL_RELEASE,
  };
  if (imageRepository) {
    const containers = ((template.spec as JsonObject).containers ?? []) as JsonObject[];
    const app = (metadata.labels as JsonObject | undefined)?.app;
    for (const container of containers) {
      if (containers.length === 1 || container.name === app)
        container.image = `${imageRepository}:${INITIAL_RELEASE}`;
    }
  }
  return copy;
}
