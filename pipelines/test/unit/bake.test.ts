import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/clock';
import type { GateReading } from '../../src/gates/reading';
import type { StepGate } from '../../src/gates/step-gate';
import type { Verdict } from '../../src/judge/verdict';
import { bakeStep } from '../../src/release/bake';

/** A gate that answers from a script, one verdict per poll, repeating the last. */
function scriptedGate(verdicts: Verdict[]): StepGate & { windows: GateReading['window'][] } {
  const windows: GateReading['window'][] = [];
  return {
    windows,
    async poll(window) {
      windows.push(window);
      const verdict = verdicts[Math.min(windows.length - 1, verdicts.length - 1)] ?? 'pass';
      return [
        {
          gate: 'latency',
          metric: 'p50 latency',
          verdict,
          reason: `scripted ${verdict}`,
          at: window.to,
          window,
        },
      ];
    },
  };
}

const settings = { bakeMs: 120_000, maxBakeMs: 240_000, pollIntervalMs: 30_000, maxConsecutiveErrors: 2 };

describe('bakeStep', () => {
  it('passes only once the whole bake is over, polling adjacent windows', async () => {
    const clock = new VirtualClock(0);
    const gate = scriptedGate(['pass']);
    const result = await bakeStep(gate, clock, settings, () => {});
    expect(result.verdict).toBe('pass');
    expect(clock.now()).toBe(120_000);
    expect(gate.windows).toEqual([
      { from: 0, to: 30_000 },
      { from: 30_000, to: 60_000 },
      { from: 60_000, to: 90_000 },
      { from: 90_000, to: 120_000 },
    ]);
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
