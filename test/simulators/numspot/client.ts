// A tiny client for the simulator tests: token forms, JSON calls, repeated-key queries.
import type { NumspotSimulator } from '../../../src/simulators/numspot/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, asserted field by field
export type J = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: J;
}

export const space = (sim: NumspotSimulator) => `/compute/spaces/${sim.spaceId}`;

export function basic(id: string, secret: string): string {
  return 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
}

export async function rawToken(sim: NumspotSimulator, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${sim.url}/iam/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** The Terraform provider's form: Basic auth and the credentials in the body. */
export async function token(sim: NumspotSimulator): Promise<string> {
  const r = await rawToken(sim, { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret }, { authorization: basic(sim.clientId, sim.clientSecret) });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token as string;
}

export interface CallOptions {
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  /** Arrays become repeated keys. */
  query?: Record<string, string | string[]>;
}

export function queryString(q: CallOptions['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function call(sim: NumspotSimulator, method: string, path: string, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  const tok = o.token === undefined ? await token(sim) : o.token;
  if (tok !== null) headers['authorization'] = `Bearer ${tok}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sim.url + path + queryString(o.query), { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A session with one token, like a driver. */
export async function session(sim: NumspotSimulator) {
  const tok = await token(sim);
  const base = space(sim);
  return {
    token: tok,
    get: (p: string, query?: CallOptions['query']) => call(sim, 'GET', base + p, { token: tok, ...(query ? { query } : {}) }),
    post: (p: string, body: unknown) => call(sim, 'POST', base + p, { token: tok, body }),
    put: (p: string, body: unknown) => call(sim, 'PUT', base + p, { token: tok, body }),
    patch: (p: string, body: unknown) => call(sim, 'PATCH', base + p, { token: tok, body }),
    del: (p: string, body?: unknown) => call(sim, 'DELETE', base + p, { token: tok, ...(body !== undefined ? { body } : {}) }),
  };
}

export type Session = Awaited<ReturnType<typeof session>>;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitState(s: Session, id: string, want: string, timeoutMs = 3000): Promise<J> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await s.get(`/images/${id}`);
    if (r.body?.state === want) return r.body;
    if (Date.now() > until) throw new Error(`image ${id} stayed ${String(r.body?.state)}, wanted ${want}`);
    await sleep(20);
  }
}

/** The recorded request bodies of the Terraform provider (specs/numspot extract). */
export const RECORDED_BODIES = {
  copy: { blockDeviceMappings: [], name: 'terraform image test', productCodes: [], sourceImageId: 'ami-0b7df82c', sourceRegionName: 'cloudgouv-eu-west-1' },
  vm: { blockDeviceMappings: [], name: 'terraform image test', productCodes: [], vmId: 'i-f2f6a5b3' },
  register: {
    blockDeviceMappings: [{ bsu: { deleteOnVmDeletion: true, iops: 150, snapshotId: 'snap-dba42486', volumeSize: 120, volumeType: 'io1' }, deviceName: '/dev/sda1' }],
    name: 'terraform image test updated',
    productCodes: [],
    rootDeviceName: '/dev/sda1',
  },
};
