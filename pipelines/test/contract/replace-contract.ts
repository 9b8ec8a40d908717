import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/plan/shape';
import { type PlatformDrivenPlatform, type Revision, UnknownWorkloadError } from '../../src/platforms/port';

/** One platform that cannot split traffic (App Runner), serving its stable version. */
interface ReplaceSubject {
  platform: PlatformDrivenPlatform;
  /** A new adapter over the same platform, as after the process driving it crashed. */
  crash(): PlatformDrivenPlatform;
  advance(ms: number): Promise<void>;
  /** The next deploying call (start, or the redeploy of a rollback) fails as a throttled API would. */
  failNextDeploy(): void;
}

export interface ReplaceSetup {
  stableVersion: string;
  /** An artifact the platform can stage. */
  artifact: { version: string; source: { kind: 'image'; uri: string } };
  /** How long the platform takes to replace the service. */
  replaceMs: number;
  create(): ReplaceSubject;
  createMissing(): PlatformDrivenPlatform;
}

const PLAN: readonly Step[] = [{ weight: 100, bakeMs: 600_000 }];

/**
 * What every platform that replaces a service in place must promise the engine, beside the shared
 * contract (whose plans need a canary weight): staging moves nothing, a replacement reports itself until
 * it ends, and a rollback — a redeploy of the old revision — works from a new adapter after a crash.
 */
export function replaceContract(setup: ReplaceSetup): void {
  describe('replacing in place', () => {
    it('stages without moving anything, the same revision for the same version', async () => {
      const { platform } = setup.create();
      const before = await platform.current();
      const revision = await platform.prepare(setup.artifact);
      expect(await platform.prepare(setup.artifact)).toEqual(revision);
      expect(await platform.current()).toEqual(before);
      expect(before.stable.version).toBe(setup.stableVersion);
    });

    it('reports the replacement while it runs, the old revision serving, then the new one at 100%', async () => {
      const subject = setup.create();
      const { platform } = subject;
      const { stable } = await platform.current();
      const revision = await platform.prepare(setup.artifact);
      const status = await platform.start(revision, PLAN);
      expect(status.revision).toEqual(revision);
      expect(await platform.start(revision, PLAN)).toEqual(status);
      if (setup.replaceMs > 0) {
        expect(status).toMatchObject({ state: 'running', stepIndex: -1 });
        expect((await platform.current()).stable).toEqual(stable);
      }
      await subject.advance(setup.replaceMs);
      const done = await platform.current();
      expect(done.stable).toEqual(revision);
      expect(done.canaryWeight).toBe(0);
      expect(done.deployment).toMatchObject({ id: status.id, revision, state: 'succeeded' });
      await platform.promote(revision);
    });

    it('rolls back by deploying the old revision, from a new adapter after a crash, and again is harmless', async () => {
      const subject = setup.create();
      const { stable } = await subject.platform.current();
      const revision = await subject.platform.prepare(setup.artifact);
      await subject.platform.start(revision, PLAN);
      await subject.advance(setup.replaceMs);
      const revived = subject.crash();
      await revived.rollback(stable);
      expect((await revived.current()).stable).toEqual(stable);
      await revived.rollback(stable);
      expect((await subject.crash().current()).stable).toEqual(stable);
    });

    it('a deploy that fails changes nothing, and the retry deploys', async () => {
      const subject = setup.create();
      const before = await subject.platform.current();
      const revision = await subject.platform.prepare(setup.artifact);
      subject.failNextDeploy();
      await expect(subject.platform.start(revision, PLAN)).rejects.toThrow();
      expect((await subject.platform.current()).stable).toEqual(before.stable);
      await subject.platform.start(revision, PLAN);
      await subject.advance(setup.replaceMs);
      expect((await subject.platform.current()).stable).toEqual(revision);
    });

    it('a workload the platform lacks is UnknownWorkloadError', async () => {
      const missing = setup.createMissing();
      const revision: Revision = { version: setup.artifact.version, ref: setup.artifact.source.uri };
      for (const call of [
        () => missing.current(),
        () => missing.start(revision, PLAN),
        () => missing.rollback(revision),
      ]) {
        await expect(call()).rejects.toThrow(UnknownWorkloadError);
      }
    });
  });
}
