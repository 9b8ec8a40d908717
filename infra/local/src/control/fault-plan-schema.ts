import { z } from 'zod';
import type { FaultPlan } from '../faults/fault-plan';

const share = z.number().min(0).max(1);

const apiFault = z.strictObject({
  service: z.string().min(1).optional(),
  operation: z.string().min(1).optional(),
  throttleShare: share.optional(),
  serverErrorShare: share.optional(),
  delayMs: z.number().min(0).optional(),
  outage: z
    .strictObject({ from: z.number(), to: z.number() })
    .refine((window) => window.to > window.from, {
      message: 'an outage must end after it starts (to > from)',
    })
    .optional(),
});

const versionFault = z.strictObject({
  workload: z.string().min(1),
  version: z.string().min(1),
  addedLatencyMs: z.number().min(0).optional(),
  tailShare: share.optional(),
  tailLatencyMs: z.number().min(0).optional(),
  errorRate: share.optional(),
  crashOnStart: z.boolean().optional(),
});

const dependencyLatency = z.strictObject({
  addedLatencyMs: z.number().min(0),
  tailShare: share.optional(),
  tailLatencyMs: z.number().min(0).optional(),
});

/** A FaultPlan as PUT /_tollgate/faults accepts it: unknown fields are mistakes, not extensions. */
export const faultPlanSchema = z.strictObject({
  api: z.array(apiFault),
  versions: z.array(versionFault),
  dependencyLatency: dependencyLatency.optional(),
});

/** The plan, or every problem, each naming its field (`api[0].throttleShare: ...`). */
export function parseFaultPlan(value: unknown): { plan: FaultPlan } | { problems: string[] } {
  const parsed = faultPlanSchema.safeParse(value);
  if (parsed.success) return { plan: withoutUndefined(parsed.data) };
  return { problems: parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`) };
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the plan)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`))
    .join('');
}

/** zod's output types optional members as `T | undefined`; the plan omits them instead. */
function withoutUndefined(plan: z.infer<typeof faultPlanSchema>): FaultPlan {
  return JSON.parse(JSON.stringify(plan)) as FaultPlan;
}
