// The seed examples must not only validate but plan and apply: each is run against the
// simulators with only its endpoint swapped for the test's, then planned again with no changes.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support.js';

const root = join(import.meta.dirname, '../../examples');
const examples = [
  'nutanix/iso-from-url.yaml', 'nutanix/disk-on-cluster.yaml', 'nutanix/private-source-and-vm-disk.yaml',
  'numspot/image-from-image.yaml', 'numspot/image-from-vm.yaml', 'numspot/image-from-snapshot.yaml',
];

for (const example of examples) {
  t.test(example, async (t) => {
    const c = await cli(t.testdir());
    t.teardown(() => c.close());
    const yaml = readFileSync(join(root, example), 'utf8')
      .replace('endpoint: https://pc.example.com:9440', 'endpoint: { env: NUTANIX_ENDPOINT }')
      .replace('host: https://api.cloudgouv-eu-west-1.numspot.com', 'host: { env: NUMSPOT_HOST }');
    c.write(yaml);
    c.env['ARTIFACTS_PASSWORD'] = 'artifact-password-for-test';
    const applied = await c.run(['apply', '--auto-approve']);
    t.equal(applied.code, 0, applied.stdout + applied.stderr);
    t.match(applied.stdout, /Apply complete!/);
    const again = await c.run(['plan', '--detailed-exitcode']);
    t.equal(again.code, 0, again.stdout + again.stderr);
  });
}
