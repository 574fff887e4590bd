// Builders for planner and applier inputs, so tests state only what matters to them.
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import type { DriverSchema } from '../../src/fields/schema.js';
import type { ObservedImage } from '../../src/fields/observed.js';
import type { Observation, PlanImage, PlanInput } from '../../src/planner/input.js';
import type { StateFile, StateResource } from '../../src/state/types.js';
import type { JsonObject } from '../../src/util/json.js';

export const uniqueSchema: DriverSchema = { ...nutanixSchema, driver: 'unique', unique_names: true };

export function image(address: string, fields: JsonObject, extra: Partial<PlanImage> = {}): PlanImage {
  return {
    address,
    provider: 'prod',
    driver: 'nutanix',
    fields,
    depends_on: [],
    lifecycle: { prevent_destroy: false, ignore_changes: [] },
    ...extra,
  };
}

export function resource(address: string, id: string, inputs: JsonObject, extra: Partial<StateResource> = {}): StateResource {
  return {
    address,
    provider: 'prod',
    driver: 'nutanix',
    id,
    inputs,
    attributes: { ...inputs },
    protected: false,
    depends_on: [],
    updated_at: '2026-11-01T00:00:00Z',
    ...extra,
  };
}

export function state(resources: StateResource[] = []): StateFile {
  return {
    format: 'imagectl-state',
    version: 1,
    lineage: '00000000-0000-4000-8000-000000000001',
    serial: 3,
    secret_salt: 'salt',
    resources: Object.fromEntries(resources.map((r) => [r.address, r])),
    pending: {},
  };
}

export function found(id: string, attributes: JsonObject, etag?: string): Observation {
  const img: ObservedImage = { id, name: String(attributes['name'] ?? ''), attributes };
  if (etag !== undefined) img.etag = etag;
  return { status: 'found', image: img };
}

export function input(desired: PlanImage[], st: StateFile, observed: Record<string, Observation> = {}, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    desired: Object.fromEntries(desired.map((d) => [d.address, d])),
    state: st,
    observed,
    schemas: { nutanix: nutanixSchema, unique: uniqueSchema },
    now: '2026-11-22T00:00:00Z',
    config_digest: 'digest',
    ...extra,
  };
}

export const iso: JsonObject = { name: 'ubuntu', type: 'ISO_IMAGE', source: { url: 'http://example.com/a.iso' } };
