import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { aws } from '../../aws/aws-error';
import type { Revision } from '../port';
import { releaseOfVersion } from './release-description';

/**
 * The published versions of one function as revisions: a version number (`ref`) and the release it
 * carries (`version`). A published version never changes, so each is read once per adapter.
 */
export class FunctionVersions {
  private readonly known = new Map<string, Revision>();

  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async revision(ref: string): Promise<Revision> {
    const known = this.known.get(ref);
    if (known) return known;
    const config = await aws(`read version ${ref} of ${this.functionName}`, () =>
      this.client.send(
        new GetFunctionConfigurationCommand({ FunctionName: this.functionName, Qualifier: ref }),
      ),
    );
    return this.remember(ref, config);
  }

  /** Refuses a revision whose version number does not carry its release (a stale record, a mix-up). */
  async check(revision: Revision): Promise<void> {
    const actual = await this.revision(revision.ref);
    if (actual.version !== revision.version) {
      throw new Error(
        `version ${revision.ref} of ${this.functionName} carries release ${actual.version}, not ${revision.version}`,
      );
    }
  }

  /** The newest published version that carries `version`, if one does. */
  async find(version: string): Promise<Revision | undefined> {
    let newest: Revision | undefined;
    let marker: string | undefined;
    do {
      const page = await aws(`list the versions of ${this.functionName}`, () =>
        this.client.send(
          new ListVersionsByFunctionCommand({
            FunctionName: this.functionName,
            ...(marker ? { Marker: marker } : {}),
          }),
        ),
      );
      for (const config of page.Versions ?? []) {
        const ref = config.Version;
        if (!ref || ref === '$LATEST') continue;
        const revision = this.remember(ref, config);
        if (revision.version === version && (!newest || Number(ref) > Number(newest.ref))) newest = revision;
      }
      marker = page.NextMarker;
    } while (marker);
    return newest;
  }

  private remember(ref: string, config: FunctionConfiguration): Revision {
    const revision = { version: releaseOfVersion(config), ref };
    this.known.set(ref, revision);
    return revision;
  }
}
