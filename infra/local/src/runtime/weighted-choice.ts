/**
 * Smooth weighted round robin (as nginx balances upstreams): deterministic, and over every run of
 * `sum(weights)` picks each target exactly `weight` times, interleaved (10/90 → 1 in every 10).
 */
export class SmoothWeightedChoice<T extends { weight: number }> {
  private readonly current: number[];
  private readonly total: number;

  constructor(private readonly targets: readonly T[]) {
    for (const target of targets) {
      if (!Number.isInteger(target.weight) || target.weight < 0) {
        throw new Error(`target weights are integers from 0, not ${target.weight}`);
      }
    }
    this.current = targets.map(() => 0);
    this.total = targets.reduce((sum, target) => sum + target.weight, 0);
  }

  /** The next target, or undefined when no target has weight. */
  next(): T | undefined {
    if (this.total === 0) return undefined;
    let best = -1;
    this.targets.forEach((target, i) => {
      const value = (this.current[i] ?? 0) + target.weight;
      this.current[i] = value;
      if (target.weight > 0 && (best < 0 || value > (this.current[best] ?? 0))) best = i;
    });
    this.current[best] = (this.current[best] ?? 0) - this.total;
    return this.targets[best];
  }
}
