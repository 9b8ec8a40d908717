import type { CanaryJudge, JudgeObjectives } from './canary-judge';
import { createSequentialJudge } from './sequential-judge';

/**
 * The judge the gates use for one traffic step: the sequential judge (always-valid latency, tail and
 * fault-rate tests sharing a false-rollback budget of 1%).
 */
export function createJudge(objectives: JudgeObjectives): CanaryJudge {
  return createSequentialJudge(objectives);
}
