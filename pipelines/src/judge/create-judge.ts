import type { CanaryJudge, JudgeObjectives } from './canary-judge';
import { createThresholdJudge } from './threshold-judge';

/** The judge the gates use for one traffic step. */
export function createJudge(objectives: JudgeObjectives): CanaryJudge {
  return createThresholdJudge(objectives);
}
