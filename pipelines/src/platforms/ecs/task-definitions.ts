import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { aws } from '../../aws/aws-error';
import type { EcsTarget } from '../../targets/manifest';
import type { Artifact, Revision } from '../port';
import { type DescribedTaskDefinition, imageOf, registrationFor, releaseOf } from './task-definition-copy';

/**
 * How many of the family's newest revisions prepare looks through for one already registered for a release
 * (a run that crashed after registering it). Older ones are not searched: preparing such a version again
 * registers one more, identical revision, which is harmless.
 */
const SEARCHED_REVISIONS = 10;

/**
 * The task-definition revisions of the workload's family: which release each one serves, and staging a new
 * one for a release. A revision never changes once registered, so what was read of it is kept.
 */
export class TaskDefinitions {
  private readonly described = new Map<string, DescribedTaskDefinition>();

  constructor(
    private readonly client: ECSClient,
    private readonly target: EcsTarget,
  ) {}

  /** The revision as the port names it: the release its container serves, and its ARN. */
  async revision(taskDefinitionArn: string): Promise<Revision> {
    const described = await this.describe(taskDefinitionArn);
    const { family, revision } = described.taskDefinition;
    // A revision registered without RELEASE_VERSION or the release tag is named by family:revision.
    const version = releaseOf(described, this.target.containerName) ?? `${family}:${revision}`;
    return { version, ref: described.taskDefinition.taskDefinitionArn ?? taskDefinitionArn };
  }

  /**
   * The revision for `artifact`: one of `known` (the live and in-flight revisions, the live one first) or a
   * recent one of the family registered for this release, else a new one registered from the live revision
   * with only the image changed. Without an image the release must have a revision already.
   */
  async stage(artifact: Artifact, known: readonly Revision[]): Promise<Revision> {
    const image = imageFrom(artifact);
    const found =
      known.find((revision) => revision.version === artifact.version) ?? (await this.find(artifact.version));
    if (found) return this.checked(found, image);
    const [live] = known;
    if (!image || !live) {
      throw new Error(
        `no task definition of ${this.target.taskFamily} serves release ${artifact.version}, and the artifact names no image to register one from; give the release an image artifact`,
      );
    }
    return this.register(live, image, artifact.version);
  }

  private async register(live: Revision, image: string, version: string): Promise<Revision> {
    const input = registrationFor(await this.describe(live.ref), {
      container: this.target.containerName,
      image,
      version,
    });
    const { taskDefinition, tags } = await aws(
      `register a task definition of ${this.target.taskFamily} for release ${version}`,
      () => this.client.send(new RegisterTaskDefinitionCommand(input)),
    );
    const ref = taskDefinition?.taskDefinitionArn;
    if (!taskDefinition || !ref)
      throw new Error(`ECS registered a task definition of ${version} without an ARN`);
    this.described.set(ref, { taskDefinition, tags: tags ?? [] });
    return { version, ref };
  }

  /** A recent revision of the family that serves `version`, newest first. */
  private async find(version: string): Promise<Revision | undefined> {
    const family = this.target.taskFamily;
    const command = new ListTaskDefinitionsCommand({
      familyPrefix: family,
      status: 'ACTIVE',
      sort: 'DESC',
      maxResults: SEARCHED_REVISIONS,
    });
    const { taskDefinitionArns } = await aws(`list the task definitions of ${family}`, () =>
      this.client.send(command),
    );
    // familyPrefix also matches longer family names ("auth" matches "auth-worker").
    const ours = (taskDefinitionArns ?? []).filter((arn) => arn.includes(`:task-definition/${family}:`));
    for (const arn of ours) {
      const revision = await this.revision(arn);
      if (revision.version === version) return revision;
    }
    return undefined;
  }

  /** A revision of the release must run the artifact's image: one version, one image. */
  private async checked(revision: Revision, image: string | undefined): Promise<Revision> {
    if (!image) return revision;
    const running = imageOf(await this.describe(revision.ref), this.target.containerName);
    if (running === image) return revision;
    throw new Error(
      `task definition ${revision.ref} already serves release ${revision.version} with image ${running}, not ${image}; release the new image under a new version`,
    );
  }

  private async describe(arn: string): Promise<DescribedTaskDefinition> {
    const known = this.described.get(arn);
    if (known) return known;
    const command = new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] });
    const { taskDefinition, tags } = await aws(`read task definition ${arn}`, () =>
      this.client.send(command),
    );
    if (!taskDefinition) throw new Error(`ECS returned no task definition for ${arn}`);
    const described = { taskDefinition, tags: tags ?? [] };
    this.described.set(arn, described);
    return described;
  }
}

function imageFrom(artifact: Artifact): string | undefined {
  const { source } = artifact;
  if (!source) return undefined;
  if (source.kind === 'image') return source.uri;
  throw new Error(
    `ECS runs container images; release ${artifact.version} has a ${source.kind} artifact, give it an image URI`,
  );
}
