import { z } from 'zod';
import { policySchema } from './schema';

/** The JSON Schema editors use to complete policy files, generated from the same zod source. */
export function policyJsonSchema(): string {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
  const titled = {
    ...schema,
    $id: 'https://tollgate.dev/schemas/policy.schema.json',
    title: 'Tollgate release policy',
    description:
      'One workload: its platform, and per environment a strategy and the gates every step must pass.',
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}
