// An in-memory driver session for applier tests, with switches to fail chosen calls.
import { DriverError, type DriverSession, type IntentView, type OpContext, type RecoverResult } from '../../src/drivers/contract.js';
import type { ObservedImage } from '../../src/fields/observed.js';
import type { StateFile, StateStore } from '../../src/state/types.js';
import type { JsonObject } from '../../src/util/json.js';
import { canonicalJson } from '../../src/util/json.js';

export class FakeSession implements DriverSession {
  images = new Map<string, JsonObject>();
  calls: string[] = [];
  keys: string[] = [];
  failCreate = new Set<string>(); // names whose create fails definitively
  dropCreate = new Set<string>(); // names whose create acts but the client sees a dropped connection
  refuseDelete = new Map<string, string>(); // ids whose delete the cloud refuses (definitively), with its reason
  private next = 1;

  async list() {
    return { images: [...this.images].map(([id, a]) => this.observed(id, a)) };
  }
  async read(id: string) {
    const a = this.images.get(id);
    return a ? { status: 'found' as const, image: this.observed(id, a) } : { status: 'not_found' as const };
  }
  async create(req: { fields: JsonObject }, ctx: OpContext): Promise<ObservedImage> {
    const name = String(req.fields['name']);
    this.calls.push(`create ${ctx.address} ${name}`);
    this.keys.push(ctx.idempotency_key);
    await new Promise((r) => setTimeout(r, 5));
    if (this.failCreate.has(name)) throw new DriverError('invalid', `bad image ${name}`, { definitive: true, status: 400 });
    const id = `img-${this.next++}`;
    this.images.set(id, structuredClone(req.fields));
    ctx.on_task?.(`task-${id}`);
    if (this.dropCreate.has(name)) throw new DriverError('transient', 'socket hang up');
    return this.observed(id, req.fields);
  }
  async update(req: { id: string; fields: JsonObject }, ctx: OpContext): Promise<ObservedImage> {
    this.calls.push(`update ${ctx.address}`);
    this.images.set(req.id, structuredClone(req.fields));
    return this.observed(req.id, req.fields);
  }
  async delete(id: string, ctx: OpContext): Promise<void> {
    this.calls.push(`delete ${ctx.address} ${id}`);
    const refused = this.refuseDelete.get(id);
    if (refused !== undefined) throw new DriverError('conflict', refused, { definitive: true, status: 409 });
    this.images.delete(id);
  }
  async recover(_intent?: IntentView): Promise<RecoverResult> {
    return { status: 'unknown', message: 'fake' };
  }
  async lookup() {
    return [];
  }
  async close() {}
  private observed(id: string, a: JsonObject): ObservedImage {
    const attributes = structuredClone(a);
    const src = attributes['source'];
    if (src && typeof src === 'object' && !Array.isArray(src) && src['basic_auth'] && typeof src['basic_auth'] === 'object') {
      delete (src['basic_auth'] as JsonObject)['password'];
    }
    return { id, name: String(a['name']), attributes };
  }
}

/** A StateStore in memory that counts writes and bumps the serial like the real one. */
export class MemoryStore implements StateStore {
  readonly description = 'memory';
  writes: StateFile[] = [];
  constructor(public current: StateFile) {}
  async read() {
    return structuredClone(this.current);
  }
  async write(s: StateFile) {
    const { serial: _a, ...a } = s;
    const { serial: _b, ...b } = this.current;
    const next = { ...s, serial: canonicalJson(a) === canonicalJson(b) ? this.current.serial : this.current.serial + 1 };
    this.current = structuredClone(next);
    this.writes.push(structuredClone(next));
    return next;
  }
  async lock() {
    return { info: { id: 'x', pid: 1, host: 'h', user: 'u', command: 'c', created: '', heartbeat: '', mode: 'exclusive' as const }, release: async () => {} };
  }
  async unlock() {}
}
