// The factory compiles with strict mode and the meta-schema check off (validators/ajv.ts: plugins'
// schemas may carry unknown keywords, and the meta-schema costs ~75 ms a run). Our own schemas
// are held to both here, once: every published schema is valid 2020-12, and the state and drift
// schemas, which were compiled in strict mode before, still compile in it.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const dir = join(import.meta.dirname, '../../schemas');
const read = (file: string): object => JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
const published = [...readdirSync(dir).filter((f) => f.endsWith('.json')), ...readdirSync(join(dir, 'plugin')).map((f) => `plugin/${f}`)];

t.test('every published schema is valid against the 2020-12 meta-schema', async (t) => {
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  t.ok(published.length >= 8);
  for (const file of published) t.ok(ajv.validateSchema(read(file)), `${file}: ${JSON.stringify(ajv.errors)}`);
});

t.test('the state and drift schemas compile in strict mode', async (t) => {
  for (const file of ['state.schema.json', 'drift.schema.json']) {
    const ajv = new Ajv2020({ strict: true, logger: false });
    addFormats.default(ajv);
    t.doesNotThrow(() => ajv.compile(read(file)), file);
  }
});
