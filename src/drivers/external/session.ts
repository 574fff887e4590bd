// A DriverSession whose every call is a request to the plugin. The mapping is one-to-one with
// the contract; the work here is what the host owes the user whatever the plugin does:
// secrets registered for scrubbing before they cross the pipe and dropped from what comes
// back, progress and task ids forwarded to the applier, read failures turned into
// `not_checked` material (never into "not found").
import {
  DriverError, type CreateRequest, type DriverSession, type IntentView, type ListResult,
  type LookupMatch, type OpContext, type ReadResult, type RecoverResult, type UpdateRequest,
} from '../contract.js';
import type { DriverSchema } from '../../fields/schema.js';
import type { ObservedImage } from '../../fields/observed.js';
import { isSecretPointer } from '../../fields/pointers.js';
import { isObject, type JsonObject, type JsonValue } from '../../util/json.js';
import type { CallOptions, PluginProcess } from './process.js';

const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

export class ExternalSession implements DriverSession {
  constructor(private readonly proc: PluginProcess, private readonly schema: DriverSchema) {}

  async list(): Promise<ListResult> {
    const r = await this.proc.call<ListResult>('list', {});
    return { ...r, images: r.images.map((i) => this.clean(i, undefined)) };
  }

  async read(id: string): Promise<ReadResult> {
    try {
      const r = await this.proc.call<ReadResult>('read', { id });
      return r.status === 'found' ? { status: 'found', image: this.clean(r.image, undefined) } : r;
    } catch (e) {
      if (e instanceof DriverError) return { status: 'error', kind: e.kind, message: e.message };
      throw e;
    }
  }

  async create(req: CreateRequest, ctx: OpContext): Promise<ObservedImage> {
    this.register(req.fields);
    const r = await this.proc.call<{ image: ObservedImage }>('create', { fields: req.fields, context: context(ctx) }, forward(ctx));
    return this.clean(r.image, ctx.address);
  }

  async update(req: UpdateRequest, ctx: OpContext): Promise<ObservedImage> {
    this.register(req.fields);
    const r = await this.proc.call<{ image: ObservedImage }>('update', { id: req.id, fields: req.fields, changed: [...req.changed], context: context(ctx) }, forward(ctx));
    return this.clean(r.image, ctx.address);
  }

  async delete(id: string, ctx: OpContext): Promise<void> {
    await this.proc.call('delete', { id, context: context(ctx) }, forward(ctx));
  }

  async recover(intent: IntentView): Promise<RecoverResult> {
    const r = await this.proc.call<RecoverResult>('recover', { intent: { ...intent } });
    return r.status === 'created' ? { status: 'created', image: this.clean(r.image, intent.address) } : r;
  }

  async lookup(kind: string, query: JsonObject): Promise<LookupMatch[]> {
    const r = await this.proc.call<{ matches: LookupMatch[] }>('lookup', { kind, query });
    return r.matches;
  }

  close(): Promise<void> {
    return this.proc.stop();
  }

  /** Every value at a pointer the schema marks secret is masked in anything shown later. */
  private register(fields: JsonObject): void {
    walk(fields, '', (pointer, v) => {
      if (typeof v === 'string' && isSecretPointer(this.schema, pointer)) this.proc.scrubber.add(v);
    });
  }

  /**
   * A plugin that echoes a secret back must not get it into state: secret fields are dropped,
   * and a secret (in any encoding) inside any other attribute makes the whole answer refused.
   * Refused, not masked: a masked copy would be stored and then seen as drift on every run.
   * After a create or update the cloud has acted, so the error is not definitive.
   */
  private clean(image: ObservedImage, address: string | undefined): ObservedImage {
    const attributes = strip(this.schema, image.attributes, '') as JsonObject;
    let leak: string | undefined;
    walk({ name: image.name, ...attributes }, '', (pointer, v) => {
      if (leak === undefined && typeof v === 'string' && this.proc.scrubber.holdsSecret(v)) leak = pointer;
    });
    if (leak !== undefined) {
      const which = address === undefined ? `image id ${JSON.stringify(image.id)}` : `image "${address}" (id ${JSON.stringify(image.id)})`;
      throw new DriverError(
        'failed',
        `${this.proc.name} sent back the value of a secret in attribute ${leak} of ${which}; the answer was refused and nothing of it is stored: fix the plugin so it never returns a secret outside a field marked secret`,
        { definitive: false },
      );
    }
    return { ...image, attributes };
  }
}

function strip(schema: DriverSchema, v: JsonValue, pointer: string): JsonValue {
  if (Array.isArray(v)) return v.map((x, i) => strip(schema, x, `${pointer}/${i}`));
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const p = `${pointer}/${escape(k)}`;
    if (!isSecretPointer(schema, p)) out[k] = strip(schema, x, p);
  }
  return out;
}

function walk(v: JsonValue, pointer: string, visit: (pointer: string, v: JsonValue) => void): void {
  visit(pointer, v);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${pointer}/${i}`, visit));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, `${pointer}/${escape(k)}`, visit);
}

function context(ctx: OpContext): JsonObject {
  return { address: ctx.address, idempotency_key: ctx.idempotency_key, lineage: ctx.lineage };
}

function forward(ctx: OpContext): CallOptions {
  const opts: CallOptions = {};
  if (ctx.on_task) opts.on_task = ctx.on_task;
  const onProgress = ctx.on_progress;
  if (onProgress) opts.on_progress = (p) => onProgress({ address: ctx.address, ...p });
  return opts;
}
