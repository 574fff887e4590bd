// Replay: the requests this driver sends for the recorded scenario, compared with what the
// Terraform provider sent to the real API (specs/numspot/TestAccImageResource.*.extract.json):
// same methods, same path shapes (ids normalised), same body field names and values.
//
// Differences that are deliberate, and ignored here (each is asserted separately below):
// 1. The provider always sends `blockDeviceMappings: []` and `productCodes: []`; we send a key
//    only when declared (CreateImage has additionalProperties: false; an empty list says nothing).
// 2. Our tag PATCH carries the ownership tags imagectl:address / imagectl:lineage as well.
// 3. The provider PUTs access on every create where `access` is configured; we PUT only when the
//    image's access differs (a copy of a public image is already public; a VM image is private).
// 4. On a tag value change the provider first DELETEs the key with the NEW value (matching
//    nothing, a no-op on the real API) and then PATCHes; we only PATCH.
// 5. The provider re-fetches a token before nearly every call; we reuse one until it is due.
// 6. The provider polls an image with GET /images/{id}; we read every image the session waits
//    for in one GET /images?ids=… (ReadImages filtered by ids, under both API versions' names).
import t from 'tap';
import type { JsonObject, JsonValue } from '../../../src/util/json.js';
import { loadRecording, pathShape, type RecordedInteraction } from './recorded.js';
import { harness, opContext } from './sim-session.js';

const rec = loadRecording();
const at = (i: number): RecordedInteraction => rec[i]!;
const OWNER = /^imagectl:/;

function snake(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(snake);
  if (v === null || typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = snake(x);
  return out;
}

/** Quirk 1: the provider's always-empty arrays. */
function withoutEmptyArrays(body: unknown): unknown {
  return Object.fromEntries(Object.entries(body as JsonObject).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
}

function driverCalls(exchanges: { method: string; path: string }[], from = 0): string[] {
  return exchanges.slice(from).filter((e) => e.path !== '/iam/token').map((e) => `${e.method} ${pathShape(e.path)}`);
}

/** Consecutive polls of the same image collapse into one GET (the recording's images were ready). */
function collapsePolls(seq: string[]): string[] {
  return seq.filter((s, i) => !(s.startsWith('GET') && seq[i - 1] === s));
}

const modes = [
  { mode: 'copy', post: 2, tags: 3, put: 4 },
  { mode: 'from a VM', post: 133, tags: 134, put: 135 },
  { mode: 'register', post: 144, tags: 145, put: 146 },
];

for (const m of modes) {
  t.test(`create (${m.mode}): the recorded request, minus the provider's quirks`, async (t) => {
    const { sim, session } = await harness(t);
    const recorded = at(m.post).requestBody as JsonObject;
    const recordedTags = (at(m.tags).requestBody as { tags: { key: string; value: string }[] }).tags;
    const access = at(m.put).requestBody as { accessCreation: { additions?: unknown } };
    const fields = snake(withoutEmptyArrays(recorded) as JsonObject) as JsonObject;
    fields['tags'] = recordedTags;
    fields['access'] = { is_public: access.accessCreation.additions !== undefined };
    const img = await session.create({ fields }, opContext('replay.image'));

    const ours = sim.exchanges.filter((e) => e.path !== '/iam/token');
    const post = ours.find((e) => e.method === 'POST')!;
    t.same(post.body, withoutEmptyArrays(recorded), 'POST body: same fields and values');

    const patch = ours.find((e) => e.method === 'PATCH')!;
    const sent = patch.body as { resourceIds: string[]; tags: { key: string; value: string }[] };
    t.same(Object.keys(sent).sort(), Object.keys(at(m.tags).requestBody as object).sort(), 'PATCH /bulk/tags: same field names');
    t.same(sent.resourceIds, [img.id]);
    t.same(sent.tags.filter((x) => !OWNER.test(x.key)), recordedTags, 'the declared tags as recorded');
    t.same(sent.tags.filter((x) => OWNER.test(x.key)).map((x) => x.key), ['imagectl:address', 'imagectl:lineage'], 'quirk 2: plus ownership tags');

    const poll = at(m.put + 1);
    t.equal(`${poll.method} ${pathShape(poll.path)}`, 'GET /compute/spaces/{spaceId}/images/{id}', 'the recording polls the image by id');
    const recordedSeq = [at(m.post), at(m.tags), at(m.put)].map((r) => `${r.method} ${pathShape(r.path)}`);
    const put = ours.find((e) => e.method === 'PUT');
    const expected = [...(put ? recordedSeq : recordedSeq.filter((s) => !s.startsWith('PUT'))), 'GET /compute/spaces/{spaceId}/images'];
    t.same(collapsePolls(driverCalls(sim.exchanges)), expected, `call sequence (quirk 3: PUT ${put ? 'sent' : 'skipped, access already as declared'}; quirk 6: polls read by ids)`);
    const read = ours.at(-1)!;
    t.same([read.query['ids'], read.query['imageIds']], [img.id, img.id], 'quirk 6: the poll names the image under both filter names');
    if (put) t.same(put.body, at(m.put).requestBody, 'PUT body as recorded');
  });
}

t.test('update: tag value change and access removal as recorded (quirk 4: no DELETE with the new value)', async (t) => {
  const { sim, session } = await harness(t);
  const base = { name: 'terraform image test updated', source_image_id: 'ami-0b7df82c', source_region_name: 'cloudgouv-eu-west-1' };
  const img = await session.create({ fields: { ...base, tags: [{ key: 'name', value: 'Terraform-Test-Image' }] } }, opContext('replay.image'));
  const mark = sim.exchanges.length;
  const newTags = (at(37).requestBody as { tags: { key: string; value: string }[] }).tags;
  await session.update({ id: img.id, fields: { ...base, tags: newTags }, changed: ['tags'] }, opContext('replay.image'));
  const tagCalls = sim.exchanges.slice(mark).filter((e) => e.path.endsWith('/bulk/tags'));
  t.same(tagCalls.map((e) => e.method), ['PATCH'], 'recorded: DELETE then PATCH; ours: PATCH only');
  t.same(tagCalls[0]!.body, { ...(at(37).requestBody as object), resourceIds: [img.id] }, 'PATCH body as recorded (id normalised)');
  t.same(at(36).requestBody, at(37).requestBody, 'the recorded DELETE carried the NEW value, which matches nothing');

  const mark2 = sim.exchanges.length;
  await session.update({ id: img.id, fields: { ...base, access: { is_public: false } }, changed: ['access'] }, opContext('replay.image'));
  const put = sim.exchanges.slice(mark2).find((e) => e.method === 'PUT')!;
  t.equal(pathShape(put.path), pathShape(at(39).path));
  t.same(put.body, at(39).requestBody, 'PUT removals body as recorded');
});

t.test('delete as recorded: DELETE /images/{id} → 204', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'to-delete', source_image_id: 'ami-0b7df82c' } }, opContext());
  const mark = sim.exchanges.length;
  await session.delete(img.id, opContext());
  t.same(driverCalls(sim.exchanges, mark), [`${at(14).method} ${pathShape(at(14).path)}`]);
  t.equal(sim.exchanges.at(-1)!.status, at(14).status);
});

t.test('token requests: the recorded form fields are all sent (quirk 5 aside)', async (t) => {
  const { sim, session } = await harness(t);
  await session.list();
  const tok = sim.exchanges.find((e) => e.path === '/iam/token')!;
  const form = new URLSearchParams(String(tok.body));
  for (const k of Object.keys(at(0).requestForm ?? {})) t.ok(form.has(k), `form field ${k}`);
  t.equal(tok.headers['content-type'], at(0).requestHeaders['Content-Type']![0]);
});
