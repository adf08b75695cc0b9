// SASL exchange decoding and the shared line cursor. Synthetic inputs: mechanisms the corpus
// captures do not all use (the PLAIN and LOGIN cases of the corpus are tested per protocol).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SaslExchange } from './sasl.js';
import { secretDigest } from './secret.js';
import { bannerProduct, LineCursor } from './textproto.js';
import { fuzzParser } from '../testutil/fuzz.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('PLAIN takes the authentication identity and digests the password', () => {
  const s = new SaslExchange('plain', b64('admin\0bob\0pw'));
  assert.equal(s.user, 'bob');
  assert.equal(s.secret, secretDigest('pw'));
  assert.equal(s.cleartext, true);
});

test('LOGIN follows the server prompts, and falls back to user-then-password', () => {
  const s = new SaslExchange('LOGIN');
  s.challenge(b64('Password:'));
  s.response(b64('pw'));
  s.challenge(b64('Username:'));
  s.response(b64('bob'));
  assert.deepEqual([s.user, s.secret], ['bob', secretDigest('pw')]);
  const t = new SaslExchange('LOGIN', b64('ann'));
  t.challenge('');
  t.response(b64('pw2'));
  assert.deepEqual([t.user, t.secret], ['ann', secretDigest('pw2')]);
});

test('XOAUTH2 and OAUTHBEARER tokens count as secrets; CRAM-MD5 gives only a user', () => {
  assert.equal(new SaslExchange('XOAUTH2', b64('user=a@b\x01auth=Bearer tok\x01\x01')).secret, secretDigest('tok'));
  const o = new SaslExchange('OAUTHBEARER', b64('n,a=c@d,\x01auth=Bearer t2\x01\x01'));
  assert.deepEqual([o.user, o.secret], ['c@d', secretDigest('t2')]);
  const c = new SaslExchange('CRAM-MD5');
  c.challenge(b64('<1.2@x>'));
  c.response(b64('tim b913a602c7eda7a495b4e6e7334d3890'));
  assert.deepEqual([c.user, c.secret, c.cleartext], ['tim', null, false]);
});

test('a cancelled exchange ("*") is marked and keeps no secret', () => {
  const s = new SaslExchange('LOGIN');
  s.response('*');
  assert.equal(s.cancelled, true);
  assert.equal(s.secret, null);
});

test('LineCursor joins split lines, skips raw bytes and drops over-long lines', () => {
  const c = new LineCursor(8);
  const e = (x: string): Uint8Array => new TextEncoder().encode(x);
  c.load(e('ab'), 0, 2);
  assert.equal(c.line(), null);
  c.save();
  c.load(e('c\r\nxyz0123456789'), 0, 15);
  assert.equal(c.line(), 'abc');
  assert.equal(c.skip(3), 3);
  assert.equal(c.line(), null);
  c.save();
  assert.equal(c.overflows, 1);
  c.load(e('more\nok\n'), 0, 8);
  assert.equal(c.line(), 'ok');
});

test('bannerProduct() finds the product in real greetings', () => {
  assert.equal(bannerProduct('xc90.websitewelcome.com ESMTP Exim 4.69 #1 Mon, 05 Oct 2009'), 'Exim 4.69');
  assert.equal(bannerProduct('(vsFTPd 3.0.5)'), 'vsFTPd 3.0.5');
  assert.equal(bannerProduct('Dovecot ready.'), 'Dovecot');
  assert.equal(bannerProduct('POP3 ready'), null);
});

test('SaslExchange survives mutated responses', () => {
  fuzzParser([new TextEncoder().encode(b64('a\0b\0c')), new TextEncoder().encode(b64('user=x\x01auth=Bearer y\x01\x01'))], (b) => {
    const t = Buffer.from(b).toString('latin1');
    for (const m of ['PLAIN', 'LOGIN', 'XOAUTH2', 'OAUTHBEARER', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'NTLM']) {
      const s = new SaslExchange(m, t);
      s.challenge(t);
      s.response(t);
    }
  }, { mutations: 100 });
});

test("SCRAM names its user in the client-first-message only (RFC 5802 §5's example exchange; synthetic)", () => {
  const s = new SaslExchange('scram-sha-1', b64('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL'));
  assert.deepEqual([s.mech, s.user, s.secret, s.cleartext], ['SCRAM-SHA-1', 'user', null, false]);
  s.response(b64('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts='));
  assert.equal(s.user, 'user');
  assert.equal(new SaslExchange('SCRAM-SHA-256', b64('n,a=admin,n=nurse=2C3,r=abc')).user, 'nurse,3');
});
