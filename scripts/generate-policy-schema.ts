// Writes pipelines/policies/policy.schema.json from the zod policy schema (`npm run schema`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { policyJsonSchema } from '@tollgate/pipelines/policy/json-schema';

export const SCHEMA_PATH = fileURLToPath(
  new URL('../pipelines/policies/policy.schema.json', import.meta.url),
);

writeFileSync(SCHEMA_PATH, policyJsonSchema());
console.log(`wrote ${SCHEMA_PATH}`);
