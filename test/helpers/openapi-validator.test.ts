import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadNutanixSpec, loadSpec, NUTANIX_SPEC_PATH, type Exchange } from './openapi-validator.js';

const examples = (f: string): unknown => JSON.parse(readFileSync(new URL(`../../specs/nutanix/examples/${f}`, import.meta.url), 'utf8'));
const IMAGES = '/api/vmm/v4.0/content/images';
const goodImage = { name: 'ubuntu', type: 'DISK_IMAGE', source: { $objectType: 'vmm.v4.content.UrlSource', url: 'https://example.com/images/u.img' } };
const ex = (o: Partial<Exchange> & { method: string; path: string; status: number }): Exchange => ({ query: {}, headers: {}, ...o });

t.test('Nutanix spec: accepts the captured examples', async (t) => {
  const spec = loadNutanixSpec();
  const headers = { 'ntnx-request-id': 'a7c5' };
  t.same(spec.validateExchange(ex({ method: 'POST', path: IMAGES, headers, body: goodImage, status: 202, responseBody: examples('create_image_202.observed.json') })), []);
  t.same(spec.validateExchange(ex({ method: 'GET', path: `${IMAGES}/ffa90cb0-e151-4672-be86-059d5ed110ae`, status: 404, responseBody: examples('get_image_404.observed.v4.1.json') })), []);
  const taskPath = '/api/prism/v4.0/config/tasks/ZXJnb24%3D%3A278bbfc2-280f-529b-882b-14ea649b9a95';
  t.same(spec.validateExchange(ex({ method: 'GET', path: taskPath, status: 200, responseBody: examples('get_task_succeeded.observed.v4.0.b1.json') })), []);
  t.same(spec.findOperation('GET', taskPath), { method: 'GET', template: '/prism/v4.0/config/tasks/{extId}', operationId: 'getTaskById' });
});

t.test('the spec on disk tells task responses from errors, and pins each image response type', async (t) => {
  // Both were defects of the first reconstruction (once patched in memory here): a bare-object
  // oneOf branch that matched every Task, and Update/Delete inheriting Create's $objectType.
  const spec = loadSpec(NUTANIX_SPEC_PATH, { basePath: '/api' });
  const task = ex({ method: 'GET', path: '/api/prism/v4.0/config/tasks/ZXJnb24=:278bbfc2-280f-529b-882b-14ea649b9a95', status: 200, responseBody: examples('get_task_succeeded.observed.v4.0.b1.json') });
  t.same(spec.validateExchange(task), [], 'a captured task matches exactly one oneOf branch');
  const created = examples('create_image_202.observed.json') as Record<string, unknown>;
  const put = (objectType: string): Exchange => ex({ method: 'PUT', path: '/api/vmm/v4.0/content/images/ffa90cb0-e151-4672-be86-059d5ed110ae', headers: { 'if-match': 'e', 'ntnx-request-id': 'r' }, body: goodImage, status: 202, responseBody: { ...created, $objectType: objectType } });
  t.same(spec.validateExchange(put('vmm.v4.content.UpdateImageApiResponse')), [], 'Update has its own $objectType');
  t.match(spec.validateExchange(put('vmm.v4.content.CreateImageApiResponse')), [/body\/\$objectType must be equal to one of the allowed values \["vmm.v4.content.UpdateImageApiResponse"\]/]);
  const del = (objectType: string): Exchange => ex({ method: 'DELETE', path: '/api/vmm/v4.0/content/images/ffa90cb0-e151-4672-be86-059d5ed110ae', headers: { 'if-match': 'e', 'ntnx-request-id': 'r' }, status: 202, responseBody: { ...created, $objectType: objectType } });
  t.same(spec.validateExchange(del('vmm.v4.content.DeleteImageApiResponse')), [], 'Delete has its own $objectType');
  t.match(spec.validateExchange(del('vmm.v4.content.CreateImageApiResponse')), [/body\/\$objectType must be equal to one of the allowed values \["vmm.v4.content.DeleteImageApiResponse"\]/]);
});

t.test('rejects bad requests and bad responses', async (t) => {
  const spec = loadNutanixSpec();
  const bad = spec.validateExchange(ex({
    method: 'POST', path: IMAGES, status: 202, responseBody: examples('create_image_202.observed.json'),
    body: { name: '', type: 'FLOPPY', checksum: { $objectType: 'vmm.v4.content.ImageSha1Checksum', hexDigest: 'abc' } },
  }));
  t.ok(bad.includes('request header parameter NTNX-Request-Id is required'), 'missing required header');
  t.ok(bad.some((e) => e.startsWith('request body/name ')), 'name too short');
  t.ok(bad.some((e) => e.startsWith('request body/type ')), 'type enum');
  t.ok(bad.some((e) => e.startsWith('request body/checksum')), 'checksum digest');
  t.notOk(bad.some((e) => e.startsWith('response')), 'the response itself is fine');

  const noBody = spec.validateExchange(ex({ method: 'POST', path: IMAGES, headers: { 'NTNX-Request-Id': 'x' }, status: 202, responseBody: examples('create_image_202.observed.json') }));
  t.same(noBody, ['request body is required'], 'required requestBody, header names case-insensitive');

  const resp = spec.validateExchange(ex({ method: 'GET', path: IMAGES, status: 200, responseBody: { $objectType: 'vmm.v4.content.ListImagesApiResponse', data: [{ name: 'x' }] } }));
  t.ok(resp.some((e) => e.includes("must have required property 'type'")), 'response body checked');

  t.match(spec.validateExchange(ex({ method: 'GET', path: IMAGES, query: { $limit: '500' }, status: 200, responseBody: {} })), ['request query parameter $limit must be <= 100']);
  t.same(spec.validateExchange(ex({ method: 'GET', path: IMAGES, query: { $limit: '100', $page: '2' }, status: 200, responseBody: {} })), [], 'query strings coerced to integers');
  t.match(spec.validateExchange(ex({ method: 'GET', path: `${IMAGES}/not-a-uuid`, status: 404, responseBody: examples('get_image_404.observed.v4.1.json') })), [/request path parameter extId must match pattern/]);
});

t.test('unknown operations and undeclared statuses are errors', async (t) => {
  const spec = loadNutanixSpec();
  t.same(spec.validateExchange(ex({ method: 'PATCH', path: IMAGES, status: 200 })), [`no PATCH operation for ${IMAGES}`]);
  t.same(spec.validateExchange(ex({ method: 'GET', path: '/api/vmm/v4.0/content/nothing', status: 200 })), ['no operation matches GET /api/vmm/v4.0/content/nothing']);
  t.match(spec.validateExchange(ex({ method: 'GET', path: '/elsewhere', status: 200 })), [/outside the base path \/api/]);
  t.same(spec.validateExchange(ex({ method: 'GET', path: `${IMAGES}/ffa90cb0-e151-4672-be86-059d5ed110ae`, status: 500 })), ['response status 500 is not declared for GET /vmm/v4.0/content/images/{extId}']);
  t.same(spec.validateExchange(ex({ method: 'GET', path: IMAGES, status: 0 })), [], 'a dropped connection checks only the request');
  t.equal(spec.findOperation('DELETE', '/nope'), undefined);
});

t.test('OpenAPI 3.0 specifics: nullable, boolean exclusive bounds, 4XX/default fallbacks, $ref parameters', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'mini.yaml');
  writeFileSync(file, `openapi: 3.0.3
info: { title: mini, version: '1' }
servers: [{ url: 'https://{host}/base/v1', variables: { host: { default: h } } }]
paths:
  /things/{id}:
    parameters: [{ $ref: '#/components/parameters/Id' }]
    put:
      parameters: [{ name: X-Token, in: header, required: true, schema: { type: string } }]
      requestBody: { $ref: '#/components/requestBodies/Thing' }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
        '4XX': { description: err, content: { application/json: { schema: { type: object, required: [error] } } } }
        default: { description: other, content: { application/json: { schema: { type: object, required: [fault] } } } }
components:
  parameters:
    Id: { name: id, in: path, required: true, schema: { type: integer, minimum: 0, exclusiveMinimum: true } }
  requestBodies:
    Thing: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: { type: string, nullable: true }
        kind: { type: string, enum: [a, b], nullable: true }
`);
  const spec = loadSpec(file);
  t.equal(spec.version, '3.0.3');
  const base = { method: 'PUT', path: '/base/v1/things/7', query: {}, headers: { 'x-token': 't' }, body: { name: null, kind: null }, status: 200, responseBody: { name: 'x' } };
  t.same(spec.validateExchange(base), [], 'basePath from servers[0], nullable accepted');
  t.match(spec.validateExchange({ ...base, path: '/base/v1/things/0' }), [/request path parameter id must be > 0/]);
  t.match(spec.validateExchange({ ...base, headers: {} }), ['request header parameter X-Token is required']);
  t.match(spec.validateExchange({ ...base, body: { kind: 'c' } }), [/request body must have required property 'name'/, /request body\/kind must be equal to one of the allowed values/]);
  t.same(spec.validateExchange({ ...base, status: 409, responseBody: { error: 'x' } }), []);
  t.match(spec.validateExchange({ ...base, status: 503, responseBody: {} }), [/response 503 body must have required property 'fault'/]);
  t.same(loadSpec(file, { basePath: '/other' }).validateExchange({ ...base, path: '/other/things/7' }), [], 'explicit basePath wins');
});

const numspotSpec = [new URL('../../specs/numspot/public-oas.yaml', import.meta.url), new URL('../../../shared/specs/numspot/public-oas.yaml', import.meta.url)].find((u) => existsSync(u));

t.test('OpenAPI 3.1 (Ajv 2020) with the Numspot spec', { skip: numspotSpec ? false : 'no Numspot spec checked out' }, async (t) => {
  const found = numspotSpec;
  if (!found) return;
  const spec = loadSpec(found.pathname);
  t.equal(spec.version, '3.1.0');
  t.equal(spec.findOperation('GET', '/compute/spaces/0b1c1d1e-0000-4000-8000-000000000000/images/ami-1')?.operationId, 'ReadImagesById');
  const errs = spec.validateExchange(ex({ method: 'GET', path: '/compute/spaces/not-a-uuid/images', query: { imageNames: 'x' }, status: 200, responseBody: { items: [{ id: 5 }] } }));
  t.ok(errs.some((e) => e.startsWith('request path parameter spaceId')), 'path parameter format');
  t.ok(errs.some((e) => e.startsWith('response 200 body/items/0/id')), 'response schema from a 3.1 $ref');
});
