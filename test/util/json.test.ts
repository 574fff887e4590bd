import t from 'tap';
import { canonicalJson, deepEqual } from '../../src/util/json.js';

t.test('deepEqual agrees with canonical JSON equality', async (t) => {
  const cases: [unknown, unknown][] = [
    [1, 1], [1, 2], ['a', 'a'], [null, undefined], [undefined, 0], [[1, 2], [1, 2]], [[1, 2], [2, 1]],
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }], [{ a: 1 }, { a: 1, b: undefined }], [{ a: 1 }, { a: 1, b: null }],
    [{ a: [] }, { a: {} }], [[], {}], [{ a: { b: 1 } }, { a: { b: '1' } }], [true, 'true'], [{}, null],
  ];
  for (const [a, b] of cases) t.equal(deepEqual(a, b), canonicalJson(a) === canonicalJson(b), `${canonicalJson(a)} vs ${canonicalJson(b)}`);
});
