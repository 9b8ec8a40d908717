/** What one container build pushes: one image, tagged with the version in each repository. */
export interface ImageBuild {
  readonly workload: string;
  readonly version: string;
  /** ECR repository URIs (the manifest's `imageRepository` of each environment). */
  readonly repositories: readonly string[];
  /** Where buildx writes the build's result (`containerimage.digest`). */
  readonly metadataFile: string;
}

/**
 * SecureCart's images are built from the repository root (each Dockerfile copies the root lockfile and
 * `workloads/shared/`), from the Dockerfile in the workload's folder.
 */
export function dockerfileOf(workload: string): string {
  return `workloads/${workload}/Dockerfile`;
}

/** The images a build pushes: `<repository>:<version>` for each repository. */
export function imageTags(build: Pick<ImageBuild, 'repositories' | 'version'>): string[] {
  return build.repositories.map((repository) => `${repository}:${build.version}`);
}

/**
 * The `docker buildx build` arguments, run from the repository root. `linux/amd64` because every
 * SecureCart container runs on x86_64 (Fargate tasks, the EC2 and EKS nodes, App Runner, which has no
 * other). No provenance or SBOM attestations: with them buildx pushes an image index instead of an
 * image manifest, which some AWS services refuse, and the digest would name the index. One build, every
 * tag: every repository gets the same image, so the same digest.
 */
export function buildxArguments(build: ImageBuild): string[] {
  return [
    'buildx',
    'build',
    '--push',
    '--platform',
    'linux/amd64',
    '--provenance=false',
    '--sbom=false',
    '--progress=plain',
    '--metadata-file',
    build.metadataFile,
    '--file',
    dockerfileOf(build.workload),
    ...imageTags(build).flatMap((tag) => ['--tag', tag]),
    '.',
  ];
}
