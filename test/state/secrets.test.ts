import t from 'tap';
import { fingerprintCacheSize, fingerprintSecret, isSecretMarker, secretMarker } from '../../src/state/secrets.js';

t.test('fingerprints are stable per salt and value, and differ otherwise', async (t) => {
  const a = fingerprintSecret('hunter2', 'salt-one-0123456789');
  t.match(a, /^scrypt\$16384\$[0-9a-f]{64}$/);
  t.equal(fingerprintSecret('hunter2', 'salt-one-0123456789'), a);
  t.not(fingerprintSecret('hunter2', 'salt-two-0123456789'), a, 'another salt');
  t.not(fingerprintSecret('hunter3', 'salt-one-0123456789'), a, 'another value');
  t.not(fingerprintSecret('', 'salt-one-0123456789'), a, 'empty value');
});

t.test('the value never appears in the fingerprint', async (t) => {
  const secret = 'correct-horse-battery-staple';
  const fp = fingerprintSecret(secret, 'abcdef0123456789');
  t.notMatch(fp, secret);
  t.notMatch(fp, Buffer.from(secret).toString('hex'));
  t.notMatch(fp, Buffer.from(secret).toString('base64'));
  t.notMatch(JSON.stringify(secretMarker(fp)), secret);
});

t.test('it is scrypt with the documented parameters (a known answer)', async (t) => {
  // Computed independently: node -e "crypto.scryptSync('pw','salt',32,{N:16384,r:8,p:1}).toString('hex')"
  const { scryptSync } = await import('node:crypto');
  const expected = scryptSync('pw', 'salt-kat-0123456', 32, { N: 16384, r: 8, p: 1 }).toString('hex');
  t.equal(fingerprintSecret('pw', 'salt-kat-0123456'), `scrypt$16384$${expected}`);
});

t.test('memoized: 10,000 uses of one secret cost one scrypt', async (t) => {
  const before = fingerprintCacheSize();
  const fps = new Set<string>();
  for (let i = 0; i < 10_000; i++) fps.add(fingerprintSecret('shared-password', 'memo-salt-0123456'));
  t.equal(fps.size, 1);
  t.equal(fingerprintCacheSize(), before + 1, 'one cache entry, so one scrypt');
  fingerprintSecret('shared-password', 'memo-salt-6543210');
  t.equal(fingerprintCacheSize(), before + 2, 'another salt is another entry');
});

t.test('secret markers', async (t) => {
  const m = secretMarker('scrypt$16384$abcd');
  t.same(m, { $secret: 'scrypt$16384$abcd' });
  t.ok(isSecretMarker(m));
  t.notOk(isSecretMarker({ $secret: 1 }));
  t.notOk(isSecretMarker({ $secret: 'x', other: 1 }), 'only the one key');
  t.notOk(isSecretMarker('scrypt$16384$abcd'));
  t.notOk(isSecretMarker(null));
  t.notOk(isSecretMarker([m]));
});
