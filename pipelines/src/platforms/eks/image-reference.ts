/**
 * Container image references as Kubernetes passes them to the container runtime:
 * `[registry[:port]/]repository[:tag][@sha256:digest]`, e.g.
 * `222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/recommendations@sha256:…`.
 */
/** A first path component is a registry when it has a dot or a port, or is localhost (Docker's rule). */
const REGISTRY = /^(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+(?::[0-9]+)?|[a-zA-Z0-9-]+:[0-9]+|localhost)\//;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** Registry and repository: everything before the tag and digest. */
  name: string;
  tag?: string;
  digest?: string;
}

/** The parts of `image`, or undefined if it is not an image reference a runtime would pull. */
export function parseImage(image: string): ImageReference | undefined {
  const [withoutDigest = '', digest, ...rest] = image.split('@');
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : withoutDigest.slice(colon + 1);
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const registry = REGISTRY.exec(name)?.[0] ?? '';
  const repository = name.slice(registry.length);
  if (!REPOSITORY.test(repository)) return undefined;
  const reference: ImageReference = { name };
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/**
 * A reference that names one build: with a digest or a tag. A bare repository means `latest`, which
 * names whatever was pushed last, so it cannot be a release's revision.
 */
export function isPinnedImage(image: string): boolean {
  const reference = parseImage(image);
  return reference?.tag !== undefined || reference?.digest !== undefined;
}

/**
 * The image of `version` when the artifact names none: the stable image's repository tagged with the
 * version (`…/recommendations:1.0.0` → `…/recommendations:1.1.0`), the convention the workload's
 * manifests follow. Undefined when the version cannot be a tag (`1.0.0+build.5`).
 */
export function imageForVersion(stableImage: string, version: string): string | undefined {
  const stable = parseImage(stableImage);
  if (!stable || !TAG.test(version)) return undefined;
  return `${stable.name}:${version}`;
}
