import { z } from 'zod';
import type { ReleaseRecord } from '../record/record';

/** Marks a deployment payload as Tollgate's, and which shape it has; deployments without it are not read. */
const PAYLOAD_SCHEMA = 1;

/**
 * What a deployment's payload holds: the release as it was begun, less what only exists later. GitHub keeps
 * a payload as written, so everything that changes afterwards travels in the statuses (see
 * `github-status-text.ts`).
 */
export type ReleasePayload = Pick<
  ReleaseRecord,
  | 'id'
  | 'workload'
  | 'environment'
  | 'platform'
  | 'backend'
  | 'method'
  | 'driver'
  | 'fromVersion'
  | 'toVersion'
  | 'actor'
  | 'startedAt'
  | 'reason'
  | 'plan'
  | 'limits'
> & { tollgate: typeof PAYLOAD_SCHEMA };

const payloadSchema = z.object({
  tollgate: z.literal(PAYLOAD_SCHEMA),
  id: z.string().min(1),
  workload: z.string().min(1),
  environment: z.string().min(1),
  platform: z.string().min(1),
  backend: z.string().min(1),
  method: z.string().min(1),
  driver: z.string().min(1),
  fromVersion: z.string(),
  toVersion: z.string(),
  actor: z.string(),
  startedAt: z.number().int(),
  reason: z.string(),
  plan: z.array(z.object({ weight: z.number(), bakeMs: z.number() })),
  limits: z.array(z.string()),
});

export function payloadOf(record: ReleaseRecord): ReleasePayload {
  return {
    tollgate: PAYLOAD_SCHEMA,
    id: record.id,
    workload: record.workload,
    environment: record.environment,
    platform: record.platform,
    backend: record.backend,
    method: record.method,
    driver: record.driver,
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    actor: record.actor,
    startedAt: record.startedAt,
    reason: record.reason,
    plan: record.plan.map(({ weight, bakeMs }) => ({ weight, bakeMs })),
    limits: [...record.limits],
  };
}

/**
 * The record as it was begun, from a deployment's payload (an object, or the JSON text GitHub returns for a
 * payload given as a string); undefined when the payload is not one Tollgate wrote.
 */
export function begunRecordOf(payload: unknown): ReleaseRecord | undefined {
  const parsed = payloadSchema.safeParse(typeof payload === 'string' ? parseJson(payload) : payload);
  if (!parsed.success) return undefined;
  const { tollgate: _schema, ...fields } = parsed.data;
  // The enum-valued fields were written from a ReleaseRecord by payloadOf and are carried as written.
  return {
    ...(fields as Omit<ReleasePayload, 'tollgate'>),
    updatedAt: fields.startedAt,
    outcome: 'in-progress',
    steps: [],
    approvals: [],
    events: [],
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
