import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/plan/shape';
import {
  type Platform,
  type PlatformDrivenPlatform,
  type Revision,
  type TrafficState,
  UnknownWorkloadError,
} from '../../src/platforms/port';
import type { Capabilities } from '../../src/targets/capabilities';

export type ContractOperation = 'current' | 'prepare' | 'shift' | 'start' | 'promote' | 'rollback';

/** One platform under test, serving its stable version to a workload nobody has released to yet. */
interface ContractSubject {
  platform: Platform;
  /** A new adapter instance over the same platform, as after the process driving it crashed. */
  crash(): Platform;
  /** Lets `ms` pass on the clock the platform runs on. */
  advance(ms: number): Promise<void>;
  now(): number;
  /** The next call of `operation` on `platform` fails the way the real API fails (throttled, 5xx). */
  failNext(operation: ContractOperation): void;
}

export interface ContractSetup {
  capabilities: Capabilities;
  /** The version a fresh subject serves. */
  stableVersion: string;
  /** A plan the platform accepts: at least two baking steps below 100%, then 100%. */
  steps: readonly Step[];
  create(): ContractSubject;
  /** A platform for a workload that does not exist. */
  createMissing(): Platform;
}

const NEW = { version: '2.0.0' };

/**
 * Registers the tests every Platform must pass, in-memory or AWS: the engine relies on exactly these
 * promises to release, resume after a crash and roll back. Only moving traffic to the first step
 * depends on who drives it; platform-driven schedules get their own cases on top.
 */
export function platformContract(setup: ContractSetup): void {
  const plan = readPlan(setup.steps);
  preparesWithoutTraffic(setup);
  movesToTheFirstStep(setup, plan);
  endsReleases(setup, plan);
  survivesFaults(setup, plan);
  if (setup.capabilities.driver === 'platform') runsItsOwnSchedule(setup, plan);
}

interface Plan {
  steps: readonly Step[];
  first: Step;
  second: Step;
  totalBakeMs: number;
}

function readPlan(steps: readonly Step[]): Plan {
  const [first, second] = steps;
  if (!first || !second || second.weight >= 100 || first.bakeMs <= 0 || second.bakeMs <= 0) {
    throw new Error('the platform contract needs a plan with two baking steps below 100%, then 100%');
  }
  return { steps, first, second, totalBakeMs: steps.reduce((total, step) => total + step.bakeMs, 0) };
}

/** The one place the contract branches on the driver. */
async function moveToFirstStep(platform: Platform, revision: Revision, plan: Plan): Promise<void> {
  if (platform.driver === 'engine') await platform.shift(revision, plan.first.weight);
  else await platform.start(revision, plan.steps);
}

function moveOperation(setup: ContractSetup): ContractOperation {
  return setup.capabilities.driver === 'engine' ? 'shift' : 'start';
}

/** The split alone, without the deployment a platform-driven platform also reports. */
function split(state: TrafficState) {
  return { stable: state.stable, canary: state.canary, canaryWeight: state.canaryWeight };
}

function allOn(stable: Revision) {
  return { stable, canary: undefined, canaryWeight: 0 };
}

function preparesWithoutTraffic(setup: ContractSetup): void {
  describe('prepare', () => {
    it('stages a revision without sending it traffic', async () => {
      const { platform } = setup.create();
      const before = await platform.current();
      const revision = await platform.prepare(NEW);
      expect(revision.version).toBe(NEW.version);
      expect(revision.ref).not.toBe(before.stable.ref);
      expect(before.stable.version).toBe(setup.stableVersion);
      expect(split(before)).toEqual(allOn(before.stable));
      expect(await platform.current()).toEqual(before);
    });

    it('returns the same revision for the same version, also after a crash', async () => {
      const subject = setup.create();
      const revision = await subject.platform.prepare(NEW);
      expect(await subject.platform.prepare(NEW)).toEqual(revision);
      expect(await subject.crash().prepare(NEW)).toEqual(revision);
    });

    it('returns the stable revision for the stable version', async () => {
      const { platform } = setup.create();
      const { stable } = await platform.current();
      expect(await platform.prepare({ version: setup.stableVersion })).toEqual(stable);
    });
  });
}

function movesToTheFirstStep(setup: ContractSetup, plan: Plan): void {
  describe('moving traffic to the first step', () => {
    it('is what current() reports: the canary at its weight, the rest on stable', async () => {
      const { platform } = setup.create();
      const { stable } = await platform.current();
      const revision = await platform.prepare(NEW);
      await moveToFirstStep(platform, revision, plan);
      expect(split(await platform.current())).toEqual({
        stable,
        canary: revision,
        canaryWeight: plan.first.weight,
      });
    });

    it('leaves the same state when done twice', async () => {
      const { platform } = setup.create();
      const revision = await platform.prepare(NEW);
      await moveToFirstStep(platform, revision, plan);
      const once = await platform.current();
      await moveToFirstStep(platform, revision, plan);
      expect(await platform.current()).toEqual(once);
    });
  });
}

function endsReleases(setup: ContractSetup, plan: Plan): void {
  describe('ending a release', () => {
    it('promote makes the revision stable at 100%, and promoting again is harmless', async () => {
      const subject = setup.create();
      const revision = await subject.platform.prepare(NEW);
      await moveToFirstStep(subject.platform, revision, plan);
      await subject.advance(plan.totalBakeMs);
      await subject.platform.promote(revision);
      const promoted = await subject.platform.current();
      expect(split(promoted)).toEqual(allOn(revision));
      await subject.platform.promote(revision);
      expect(await subject.platform.current()).toEqual(promoted);
    });

    it('rollback mid-step returns all traffic to the previous stable, and again is harmless', async () => {
      const subject = setup.create();
      const { stable } = await subject.platform.current();
      const revision = await subject.platform.prepare(NEW);
      await moveToFirstStep(subject.platform, revision, plan);
      await subject.advance(plan.first.bakeMs / 2);
      await subject.platform.rollback();
      const rolledBack = await subject.platform.current();
      expect(split(rolledBack)).toEqual(allOn(stable));
      await subject.platform.rollback();
      expect(await subject.platform.current()).toEqual(rolledBack);
      await subject.advance(plan.totalBakeMs);
      expect(split(await subject.platform.current())).toEqual(allOn(stable));
    });

    it('rollback after a crash works on the new instance, which reports the truth', async () => {
      const subject = setup.create();
      const { stable } = await subject.platform.current();
      const revision = await subject.platform.prepare(NEW);
      await moveToFirstStep(subject.platform, revision, plan);
      await subject.advance(plan.first.bakeMs / 2);
      const beforeCrash = await subject.platform.current();
      const revived = subject.crash();
      expect(await revived.current()).toEqual(beforeCrash);
      await revived.rollback();
      const after = await revived.current();
      expect(split(after)).toEqual(allOn(stable));
      expect(await subject.crash().current()).toEqual(after);
    });

    it('rollback(to) after the release finished makes `to` stable again, and again is harmless', async () => {
      const subject = setup.create();
      const { stable } = await subject.platform.current();
      const revision = await subject.platform.prepare(NEW);
      await moveToFirstStep(subject.platform, revision, plan);
      await subject.advance(plan.totalBakeMs);
      await subject.platform.promote(revision);
      await subject.platform.rollback(stable);
      const restored = await subject.platform.current();
      expect(split(restored)).toEqual(allOn(stable));
      await subject.platform.rollback(stable);
      expect(await subject.platform.current()).toEqual(restored);
    });
  });
}

function survivesFaults(setup: ContractSetup, plan: Plan): void {
  describe('faults', () => {
    /** Arranges, fails `operation` once, checks nothing changed, then retries it successfully. */
    async function failThenRetry(
      operation: ContractOperation,
      arrange: (subject: ContractSubject, revision: Revision) => Promise<void>,
      call: (platform: Platform, revision: Revision) => Promise<unknown>,
    ): Promise<{ platform: Platform; revision: Revision; stable: Revision }> {
      const subject = setup.create();
      const { stable } = await subject.platform.current();
      const revision = await subject.platform.prepare(NEW);
      await arrange(subject, revision);
      const before = await subject.platform.current();
      subject.failNext(operation);
      await expect(call(subject.platform, revision)).rejects.toThrow();
      expect(await subject.platform.current()).toEqual(before);
      await call(subject.platform, revision);
      return { platform: subject.platform, revision, stable };
    }
    const nothing = async () => {};
    const moved = async (subject: ContractSubject, revision: Revision) =>
      moveToFirstStep(subject.platform, revision, plan);

    it('a failed prepare changes nothing, and the retry prepares the version', async () => {
      const { platform } = await failThenRetry('prepare', nothing, (p) => p.prepare({ version: '3.0.0' }));
      expect((await platform.prepare({ version: '3.0.0' })).version).toBe('3.0.0');
    });

    it('a failed move to the first step changes nothing, and the retry moves traffic', async () => {
      const { platform, revision } = await failThenRetry(moveOperation(setup), nothing, (p, r) =>
        moveToFirstStep(p, r, plan),
      );
      expect(split(await platform.current())).toMatchObject({
        canary: revision,
        canaryWeight: plan.first.weight,
      });
    });

    it('a failed promote changes nothing, and the retry promotes', async () => {
      const finished = async (subject: ContractSubject, revision: Revision) => {
        await moved(subject, revision);
        await subject.advance(plan.totalBakeMs);
      };
      const { platform, revision } = await failThenRetry('promote', finished, (p, r) => p.promote(r));
      expect(split(await platform.current())).toEqual(allOn(revision));
    });

    it('a failed rollback changes nothing, and the retry rolls back', async () => {
      const { platform, stable } = await failThenRetry('rollback', moved, (p) => p.rollback());
      expect(split(await platform.current())).toEqual(allOn(stable));
    });

    it('a failed current() is followed by a truthful one', async () => {
      const { platform, revision } = await failThenRetry('current', moved, (p) => p.current());
      expect(split(await platform.current())).toMatchObject({
        canary: revision,
        canaryWeight: plan.first.weight,
      });
    });

    it('an unknown workload is UnknownWorkloadError on every call', async () => {
      const missing = setup.createMissing();
      const revision = { version: NEW.version, ref: '2' };
      const calls: (() => Promise<unknown>)[] = [
        () => missing.current(),
        () => missing.prepare(NEW),
        () => moveToFirstStep(missing, revision, plan),
        () => missing.promote(revision),
        () => missing.rollback(),
        () => missing.rollback(revision),
      ];
      for (const call of calls) {
        const error = await call().catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(UnknownWorkloadError);
        expect(error).toHaveProperty('message', expect.stringContaining(missing.workload));
      }
    });
  });
}

function platformDriven(platform: Platform): PlatformDrivenPlatform {
  if (platform.driver !== 'platform') throw new Error(`${platform.workload} is not platform-driven`);
  return platform;
}

function runsItsOwnSchedule(setup: ContractSetup, plan: Plan): void {
  describe('a platform-driven schedule', () => {
    it('is a running deployment at step 0 that advances by itself as time passes', async () => {
      const subject = setup.create();
      const platform = platformDriven(subject.platform);
      const revision = await platform.prepare(NEW);
      const startedAt = subject.now();
      const status = await platform.start(revision, plan.steps);
      const firstShift = startedAt + plan.first.bakeMs;
      expect(status).toEqual({
        id: status.id,
        revision,
        state: 'running',
        stepIndex: 0,
        nextShiftAt: firstShift,
      });
      expect((await platform.current()).deployment).toEqual(status);
      await subject.advance(plan.first.bakeMs);
      const second = await platform.current();
      expect(second.canaryWeight).toBe(plan.second.weight);
      const secondShift = firstShift + plan.second.bakeMs;
      expect(second.deployment).toEqual({ ...status, stepIndex: 1, nextShiftAt: secondShift });
      await subject.advance(plan.totalBakeMs);
      const done = await platform.current();
      expect(split(done)).toEqual(allOn(revision));
      const last = plan.steps.length - 1;
      expect(done.deployment).toEqual({ id: status.id, revision, state: 'succeeded', stepIndex: last });
    });

    it('starting the same revision while it runs returns the running deployment', async () => {
      const platform = platformDriven(setup.create().platform);
      const revision = await platform.prepare(NEW);
      const status = await platform.start(revision, plan.steps);
      expect(await platform.start(revision, plan.steps)).toEqual(status);
    });

    it('starting another revision while one runs is refused and changes nothing', async () => {
      const platform = platformDriven(setup.create().platform);
      await platform.start(await platform.prepare(NEW), plan.steps);
      const other = await platform.prepare({ version: '3.0.0' });
      const before = await platform.current();
      await expect(platform.start(other, plan.steps)).rejects.toThrow();
      expect(await platform.current()).toEqual(before);
    });

    it('promote is refused while the deployment runs and changes nothing', async () => {
      const platform = platformDriven(setup.create().platform);
      const revision = await platform.prepare(NEW);
      await platform.start(revision, plan.steps);
      const before = await platform.current();
      await expect(platform.promote(revision)).rejects.toThrow();
      expect(await platform.current()).toEqual(before);
    });

    it('rollback stops the running deployment, which then reports stopped', async () => {
      const subject = setup.create();
      const platform = platformDriven(subject.platform);
      const revision = await platform.prepare(NEW);
      const status = await platform.start(revision, plan.steps);
      await subject.advance(plan.first.bakeMs / 2);
      await platform.rollback();
      const { deployment } = await platform.current();
      expect(deployment).toEqual({
        id: status.id,
        revision,
        state: 'stopped',
        stepIndex: 0,
        reason: expect.any(String),
      });
    });
  });
}
