// The plugin line reader: lines across chunks, \r\n, a last line without a newline, and a line
// past the ceiling reported once and skipped to its end (readline had no ceiling at all).
import t from 'tap';
import { PassThrough } from 'node:stream';
import { readLines } from '../../../src/drivers/external/lines.js';

function collect(chunks: (string | Buffer)[], max: number): Promise<string[]> {
  const stream = new PassThrough();
  const out: string[] = [];
  readLines(stream, max, { line: (l) => out.push(l), tooLong: () => out.push('<too long>') });
  return new Promise((resolve) => {
    stream.on('end', () => setImmediate(() => resolve(out)));
    for (const c of chunks) stream.write(c);
    stream.end();
  });
}

t.test('lines across chunks, CRLF, a final line without newline, multibyte characters', async (t) => {
  const euro = Buffer.from('€');
  t.same(await collect(['ab', 'c\nde\r\n', '\nf', Buffer.from([0x67, euro[0] as number]), Buffer.from([euro[1] as number, euro[2] as number, 0x0a]), 'last'], 100), ['abc', 'de', '', 'fg€', 'last']);
});

t.test('a line past the ceiling is reported once and skipped; the next line is read', async (t) => {
  t.same(await collect(['0123456789ABC\nok\n'], 10), ['<too long>', 'ok']);
  t.same(await collect(['01234', '56789', 'ABCDE', 'FGH', '\nok\n'], 10), ['<too long>', 'ok'], 'across chunks, without holding the line');
  t.same(await collect(['0123456789\n'], 10), ['0123456789'], 'exactly the ceiling is fine');
  t.same(await collect(['0123456789AB'], 10), ['<too long>'], 'an unfinished line past the ceiling');
});
