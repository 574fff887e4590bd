// A plugin's environment holds only its own provider's secrets: not the Nutanix password, not the
// Numspot client secret, not a source password of another provider's image, not another plugin
// provider's token (even under a name the configuration does not use), and at `describe` time,
// before any provider is chosen, none at all. The fake plugin writes its environment to a file.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakePlugin } from '../drivers/external/support.js';
import { cli, PROVIDERS_YAML, SECRETS } from './support.js';

const LAB_TOKEN = 'lab-T0ken-own-5521';
const LAB2_TOKEN = 'lab2-T0ken-other-7734';

const DUMP = `
import { writeFileSync } from 'node:fs';
const dump = (name) => writeFileSync(name, JSON.stringify(process.env));
const describe0 = on.describe;
on.describe = () => { dump('env-describe.json'); return describe0(); };
on.configure = (p) => { dump('env-' + p.provider + '.json'); return {}; };`;

t.test('each plugin provider sees only its own secrets in its environment', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  fakePlugin(c.dir, DUMP);
  c.env.LAB_TOKEN = LAB_TOKEN;
  c.env.LAB2_TOKEN = LAB2_TOKEN;
  c.env.COPY_OF_PC_PASSWORD = SECRETS.password; // the same secret under a name no block uses
  c.write(`version: 1
providers:
  lab:
    driver: { command: [node, ./fake.mjs] }
    token: { env: LAB_TOKEN }
  lab2:
    driver: { command: [node, ./fake.mjs] }
    token: { env: LAB2_TOKEN }
${PROVIDERS_YAML}images:
  a: { provider: lab, name: a }
  b: { provider: lab2, name: b }
  private:
    provider: prod
    name: private-image
    type: DISK_IMAGE
    source:
      url: https://artifacts.example.com/private.qcow2
      basic_auth: { username: robot, password: { env: SOURCE_PASSWORD } }
  copy:
    provider: eu
    name: copy
    source_image_id: ami-dc3f861d
    source_region_name: cloudgouv-eu-west-1
`);
  const plan = await c.run(['plan']);
  t.equal(plan.code, 0, plan.stdout + plan.stderr);
  const envOf = (name: string): Record<string, string> => JSON.parse(readFileSync(join(c.dir, name), 'utf8'));
  const others = [SECRETS.password, SECRETS.sourcePassword, SECRETS.clientSecret];

  const lab = envOf('env-lab.json');
  const lab2 = envOf('env-lab2.json');
  const described = envOf('env-describe.json');
  t.equal(lab['PATH'], process.env['PATH'], 'the rest of the environment is inherited');
  for (const [name, env, own] of [['lab', lab, LAB_TOKEN], ['lab2', lab2, LAB2_TOKEN]] as const) {
    const values = Object.values(env);
    for (const s of [...others, own === LAB_TOKEN ? LAB2_TOKEN : LAB_TOKEN]) t.notOk(values.includes(s), `${name} does not hold ${s.slice(0, 8)}…`);
    t.ok(values.includes(own), `${name} may keep its own token`);
  }
  t.notOk(described['COPY_OF_PC_PASSWORD'], 'a copy of another provider’s secret under another name is withheld too');
  for (const s of [...others, LAB_TOKEN, LAB2_TOKEN]) t.notOk(Object.values(described).includes(s), `describe sees no secret (${s.slice(0, 8)}…)`);
});
