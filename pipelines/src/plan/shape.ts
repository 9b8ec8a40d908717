/** One traffic step: the canary at `weight`% of traffic, baked for `bakeMs` while the gates watch. */
export interface Step {
  weight: number;
  bakeMs: number;
}

/**
 * The form of a release plan. `canary` moves `weight`% then everything; `linear` adds `weight`% per step;
 * `custom` lists its own steps (the final 100% is implied). Platforms that run their own schedule accept
 * only some shapes; see `targets/capabilities.ts`.
 */
export type Shape =
  /** `bakeMs`: where the platform cannot split traffic, judge the new version afterwards for this long. */
  | { kind: 'all-at-once'; bakeMs?: number }
  | { kind: 'canary'; weight: number; bakeMs: number }
  | { kind: 'linear'; weight: number; bakeMs: number }
  | { kind: 'custom'; steps: Step[] };

export type ShapeKind = Shape['kind'];

/** A strategy as a policy states it: its shape and, when it named one, the CodeDeploy configuration. */
export interface Strategy {
  shape: Shape;
  /** `CodeDeployDefault.…` when the policy named a predefined configuration. */
  codeDeployConfig?: string;
}

/** Whether two shapes describe the same schedule (weights and bakes). */
export function sameShape(a: Shape, b: Shape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
