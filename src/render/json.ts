// Machine output: the Plan as one versioned JSON document (schemas/plan.schema.json), with
// secret fingerprints replaced by a marker so not even a hash leaves the machine.
import type { Plan } from '../planner/types.js';
import type { JsonValue } from '../util/json.js';
import { redact } from './values.js';

export function planDocument(plan: Plan): JsonValue {
  return redact(JSON.parse(JSON.stringify(plan)) as JsonValue) as JsonValue;
}

export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(planDocument(plan), null, 2) + '\n';
}
