// Every request the driver sends must be valid per the reconstructed v4.0 spec; the responses it
// got are checked too, which catches a simulator drifting from the spec.
import t from 'tap';
import { loadNutanixSpec } from '../../helpers/openapi-validator.js';
import { harness, ISO, opContext } from './sim-session.js';

const CAT = '11111111-2222-4333-8444-555555555555';
const SHA1 = 'c'.repeat(40);

t.test('the driver speaks the spec', async (t) => {
  const spec = loadNutanixSpec();
  const { sim, session } = await harness(t);
  const fields = {
    ...ISO,
    description: 'contract',
    checksum: { object_type: 'sha1', hex_digest: SHA1 },
    source: { url: 'https://example.com/images/a.iso', should_allow_insecure_url: true, basic_auth: { username: 'dl', password: 'pw-1234' } },
    category_ext_ids: [CAT],
    cluster_location_ext_ids: ['0006411c-0286-bc71-9f02-191e334d457b'],
  };
  const img = await session.create({ fields }, opContext());
  await session.update({ id: img.id, fields: { ...fields, name: 'contract-2', category_ext_ids: [] }, changed: ['name', 'category_ext_ids'] }, opContext());
  await session.create({ fields: { ...ISO, source: { url: 'http://x.invalid/a.iso' } } }, opContext()).catch(() => undefined);
  await session.list();
  await session.read('c13300a6-d246-4d1f-9d0c-64b5dd31c393');
  await session.delete(img.id, opContext());
  await session.delete(img.id, opContext());

  // clustermgmt is not part of the reconstructed spec (vmm images + prism tasks only).
  const inSpec = sim.exchanges.filter((e) => !e.path.startsWith('/api/clustermgmt/'));
  t.ok(inSpec.length >= 10, `${inSpec.length} exchanges checked`);
  const ops = new Set(inSpec.map((e) => spec.findOperation(e.method, e.path)?.operationId));
  t.same([...ops].sort(), ['createImage', 'deleteImageById', 'getImageById', 'getTaskById', 'listImages', 'updateImageById']);
  for (const ex of inSpec) {
    t.same(spec.validateExchange(ex), [], `${ex.method} ${ex.path} → ${ex.status}`);
  }
});
