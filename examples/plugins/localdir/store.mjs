// The "cloud" of this driver: a folder. Each image is two files, `ID.img` (the content) and
// `ID.json` (a sidecar with its metadata). The sidecar is written last, by rename, so an image
// exists exactly when its sidecar does: a crash mid-download leaves only a `.part` file that
// nothing reads and the next create or recover cleans up.
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { download } from './download.mjs';
import { PluginError } from './errors.mjs';

const sha = (s) => createHash('sha256').update(s).digest();

/** Ids derive from the idempotency key: the same create sent twice lands on the same files. */
export const idFor = (key) => `img-${sha(key).toString('hex').slice(0, 16)}`;

export class Store {
  constructor(directory) {
    this.dir = resolve(directory);
  }

  /** A folder with a `.token-sha256` file is only served to callers that know the token. */
  async open(token) {
    await mkdir(this.dir, { recursive: true });
    const want = await readFile(join(this.dir, '.token-sha256'), 'utf8').catch(() => undefined);
    if (want === undefined) return;
    const expected = Buffer.from(want.trim(), 'hex');
    const ok = typeof token === 'string' && expected.length === 32 && timingSafeEqual(sha(token), expected);
    if (!ok) throw new PluginError('auth', `access to ${this.dir} refused: wrong or missing token`, true);
  }

  async sidecar(id) {
    let text;
    try {
      text = await readFile(join(this.dir, `${id}.json`), 'utf8');
    } catch (e) {
      if (e.code === 'ENOENT') return undefined;
      throw new PluginError('failed', `cannot read ${id}.json: ${e.message}`);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new PluginError('failed', `${id}.json is not valid JSON`);
    }
  }

  async write(meta) {
    const tmp = join(this.dir, `${meta.id}.json.tmp`);
    await writeFile(tmp, `${JSON.stringify(meta, null, 2)}\n`);
    await rename(tmp, join(this.dir, `${meta.id}.json`));
  }

  /** The image as imagectl sees it: attributes in the same snake_case as the image schema. */
  observed(meta) {
    const { id, name, description, labels, url, checksum, size_bytes, created_at, revision, owner } = meta;
    const attributes = { name, description, labels, url, checksum, size_bytes, created_at, path: join(this.dir, `${id}.img`) };
    return { id, name, attributes, etag: `r${revision}`, owner };
  }

  async all() {
    const names = (await readdir(this.dir)).filter((n) => /^img-[0-9a-f]{16}\.json$/.test(n)).sort();
    const metas = await Promise.all(names.map((n) => this.sidecar(n.slice(0, -5))));
    return metas.filter((m) => m !== undefined);
  }

  async create(fields, context, report) {
    const id = idFor(context.idempotency_key);
    const existing = await this.sidecar(id);
    if (existing) return this.observed(existing);
    const clash = (await this.all()).find((m) => m.name === fields.name);
    if (clash) throw new PluginError('conflict', `an image named '${fields.name}' already exists (${clash.id})`, true);
    report.task(id);
    const part = join(this.dir, `${id}.part`);
    const size = await download(fields.url, part, fields.checksum, report.progress);
    await rename(part, join(this.dir, `${id}.img`));
    const meta = {
      id, name: fields.name, description: fields.description ?? '', labels: [...new Set(fields.labels ?? [])].sort(),
      url: fields.url, checksum: fields.checksum.toLowerCase(), size_bytes: size, created_at: new Date().toISOString(),
      revision: 1, owner: { address: context.address, lineage: context.lineage }, create_key: context.idempotency_key,
    };
    await this.write(meta);
    return this.observed(meta);
  }

  async update(id, fields, changed, context) {
    const meta = await this.sidecar(id);
    if (!meta) throw new PluginError('conflict', `image ${id} no longer exists`, true);
    for (const key of changed) {
      if (key === 'description') meta.description = fields.description ?? '';
      else if (key === 'labels') meta.labels = [...new Set(fields.labels ?? [])].sort();
      else throw new PluginError('invalid', `${key} cannot be changed in place`, true);
    }
    meta.revision += 1;
    meta.update_key = context.idempotency_key;
    await this.write(meta);
    return this.observed(meta);
  }

  async delete(id) {
    // Sidecar first: from that moment the image no longer exists, whatever happens next.
    await rm(join(this.dir, `${id}.json`), { force: true });
    await rm(join(this.dir, `${id}.img`), { force: true });
  }

  async recover(intent) {
    if (intent.action === 'create') {
      const meta = await this.sidecar(idFor(intent.idempotency_key));
      if (meta) return { status: 'created', image: this.observed(meta) };
      await rm(join(this.dir, `${idFor(intent.idempotency_key)}.part`), { force: true });
      return { status: 'not_created' };
    }
    const meta = intent.cloud_id === undefined ? undefined : await this.sidecar(intent.cloud_id);
    if (intent.action === 'delete') return meta ? { status: 'unknown', message: 'the image is still there' } : { status: 'done' };
    if (meta?.update_key === intent.idempotency_key) return { status: 'done' };
    return { status: 'unknown', message: 'the update did not reach the folder' };
  }
}
