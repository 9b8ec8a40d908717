import { describe, expect, it } from 'vitest';
import type { StepGate } from '../../src/gates/step-gate';
import type { Verdict } from '../../src/judge/verdict';
import { bakeStep } from '../../src/release/bake';
import { VirtualClock } from '../../src/time/clock';

/** A gate that answers from a script, one verdict per poll, repeating the last; it keeps when it was polled. */
function scriptedGate(verdicts: Verdict[]): StepGate & { polledAt: number[] } {
  const polledAt: number[] = [];
  return {
    polledAt,
    async poll(now) {
      polledAt.push(now);
      const verdict = verdicts[Math.min(polledAt.length - 1, verdicts.length - 1)] ?? 'pass';
      const window = { from: 0, to: now };
      return [
        { gate: 'latency', metric: 'p50 latency', verdict, reason: `scripted ${verdict}`, at: now, window },
      ];
    },
  };
}

const settings = { bakeMs: 120_000, maxBakeMs: 240_000, pollIntervalMs: 30_000, maxConsecutiveErrors: 2 };

describe('bakeStep', () => {
  it('passes only once the whole bake is over, polling every interval', async () => {
    const clock = new VirtualClock(0);
    const gate = scriptedGate(['pass']);
    const result = await bakeStep(gate, clock, settings, () => {});
    expect(result.verdict).toBe('pass');
    expect(clock.now()).toBe(120_000);
    expect(gate.polledAt).toEqual([30_000, 60_000, 90_000, 120_000]);
  });

  it('lands on the maximum bake too, when it is not a multiple of the poll interval', async () => {
    const clock = new VirtualClock(0);
    const gate = scriptedGate(['inconclusive']);
    await bakeStep(gate, clock, { ...settings, bakeMs: 100_000, maxBakeMs: 130_000 }, () => {});
    expect(gate.polledAt).toEqual([30_000, 60_000, 90_000, 100_000, 130_000]);
  });

  it('a step whose decision time has already passed is judged at once', async () => {
    const clock = new VirtualClock(0);
    const gate = scriptedGate(['pass']);
    const result = await bakeStep(gate, clock, { ...settings, bakeMs: 0, maxBakeMs: 0 }, () => {});
    expect(result.verdict).toBe('pass');
    expect(gate.polledAt).toEqual([0]);
  });

  it('a gate poll that hangs ends the step as soon as the release is cancelled', async () => {
    const gate: StepGate = { poll: () => new Promise(() => {}) };
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('received SIGTERM')), 10);
    const result = await bakeStep(gate, new VirtualClock(0), settings, () => {}, controller.signal);
    expect(result).toEqual({
      verdict: 'error',
      reason: 'release cancelled (received SIGTERM)',
      polls: 0,
      readings: [],
    });
  });

  it('lands on the end of a bake that is not a multiple of the poll interval', async () => {
    const clock = new VirtualClock(0);
    await bakeStep(scriptedGate(['pass']), clock, { ...settings, bakeMs: 100_000 }, () => {});
    expect(clock.now()).toBe(100_000);
  });

  it('fails at the first failing poll', async () => {
    const clock = new VirtualClock(0);
    const result = await bakeStep(scriptedGate(['pass', 'fail']), clock, settings, () => {});
    expect(result).toMatchObject({ verdict: 'fail', polls: 2, reason: 'p50 latency: scripted fail' });
    expect(clock.now()).toBe(60_000);
  });

  it('keeps baking while inconclusive, and passes when the data arrives before maxBake', async () => {
    const clock = new VirtualClock(0);
    const verdicts: Verdict[] = [
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'pass',
    ];
    const result = await bakeStep(scriptedGate(verdicts), clock, settings, () => {});
    expect(result.verdict).toBe('pass');
    expect(clock.now()).toBe(180_000);
  });

  it('gives up as inconclusive at maxBake', async () => {
    const clock = new VirtualClock(0);
    const result = await bakeStep(scriptedGate(['inconclusive']), clock, settings, () => {});
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toBe(
      'still inconclusive after the maximum bake of 4m: p50 latency: scripted inconclusive',
    );
    expect(clock.now()).toBe(240_000);
  });

  it('an error poll resets once a clean poll follows, and counts only consecutive errors', async () => {
    const clock = new VirtualClock(0);
    const result = await bakeStep(
      scriptedGate(['error', 'pass', 'error', 'pass']),
      clock,
      settings,
      () => {},
    );
    expect(result.verdict).toBe('pass');
    const failing = await bakeStep(
      scriptedGate(['pass', 'error', 'error']),
      new VirtualClock(0),
      settings,
      () => {},
    );
    expect(failing).toMatchObject({ verdict: 'error', polls: 3 });
  });
});
