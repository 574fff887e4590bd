// Every request the driver sends in a full scenario is valid per Numspot's published spec
// (specs/numspot/public-oas.yaml, 2026-02-16): operation, parameters and request body. Only the
// driver's requests are checked here (the simulator's answers have their own contract test).
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadSpec } from '../../helpers/openapi-validator.js';
import { harness, opContext } from './sim-session.js';

const SPEC = fileURLToPath(new URL('../../../specs/numspot/public-oas.yaml', import.meta.url));

t.test('the driver traffic of a full scenario validates against public-oas.yaml', async (t) => {
  const spec = loadSpec(SPEC, { basePath: '' });
  const { sim, session } = await harness(t);
  const copy = await session.create({ fields: { name: 'spec-copy', source_image_id: 'ami-dc3f861d', source_region_name: 'cloudgouv-eu-west-1', description: 'd', product_codes: ['0001'], tags: [{ key: 'a', value: '1' }], access: { is_public: false } } }, opContext('spec.copy'));
  const vm = await session.create({ fields: { name: 'spec-vm', vm_id: 'i-f2f6a5b3', no_reboot: true } }, opContext('spec.vm'));
  await session.create({ fields: { name: 'spec-reg', root_device_name: '/dev/sda1', architecture: 'x86_64', block_device_mappings: [{ device_name: '/dev/sda1', bsu: { snapshot_id: 'snap-dba42486', volume_size: 20, volume_type: 'gp2', delete_on_vm_deletion: false } }] } }, opContext('spec.reg'));
  await session.update({ id: copy.id, fields: { tags: [{ key: 'b', value: '2' }] }, changed: ['tags'] }, opContext('spec.copy'));
  await session.update({ id: vm.id, fields: { access: { is_public: true } }, changed: ['access'] }, opContext('spec.vm'));
  await session.list();
  await session.read(copy.id);
  await session.lookup('vm', { tags: { Name: 'builder' } });
  await session.lookup('snapshot', { description: 'golden-root', tags: { Name: 'golden-root' } });
  await session.lookup('image', { name: 'Debian-12-2026-08-10' });
  await session.recover({ action: 'create', address: 'spec.vm', idempotency_key: 'k', name: 'spec-vm' });
  await session.delete(vm.id, opContext('spec.vm'));
  await session.delete(vm.id, opContext('spec.vm'));

  const seen = new Set<string>();
  for (const ex of sim.exchanges) {
    const op = spec.findOperation(ex.method, ex.path);
    seen.add(op?.operationId ?? `${ex.method} ${ex.path}`);
    const errors = spec.validateExchange({ method: ex.method, path: ex.path, query: ex.query, headers: ex.headers, body: ex.body, status: 0 });
    t.same(errors, [], `${ex.method} ${ex.path}`);
  }
  t.same([...seen].sort(), ['CreateImage', 'CreateTags', 'DeleteImage', 'DeleteTags', 'ReadImages', 'ReadImagesById', 'ReadSnapshots', 'ReadVms', 'Token', 'UpdateImage']);
});
