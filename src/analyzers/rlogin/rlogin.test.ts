// rlogin analyzer tests. The corpus holds no rlogin capture, so sessions are synthetic, built
// from RFC 1282's handshake; the real captures used here are the negative ones on the
// neighbouring rsh port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { FakeContext, replay } from '../streams.testutil.js';
import { RloginAnalyzer } from './analyzer.js';
import { parseHandshake } from './parse.js';
import { probe } from './probe.js';

const b = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const HELLO = b('\0jdoe\0root\0xterm/38400\0');

test('parseHandshake() reads the users and terminal, and waits for a split handshake', () => {
  assert.deepEqual(parseHandshake(HELLO, 0, HELLO.length), { clientUser: 'jdoe', serverUser: 'root', terminal: 'xterm/38400', consumed: HELLO.length });
  assert.equal(parseHandshake(HELLO, 0, 8), 'need_more');
  assert.equal(parseHandshake(b('514\0u\0u\0ls\0'), 0, 11), null);
});

test('probe() knows the handshake and refuses rsh and text', () => {
  assert.equal(probe(HELLO, 0, HELLO.length, true), PROBE_YES);
  assert.equal(probe(HELLO, 0, 6, true), PROBE_MAYBE);
  assert.equal(probe(b('1022\0root\0root\0id\0'), 0, 18, true), PROBE_NO);
  assert.equal(probe(b('<13>Jan 1 host: x'), 0, 17, true), PROBE_NO);
  assert.equal(probe(HELLO, 0, HELLO.length, false), PROBE_NO);
});

test('a password login is logged with both users and the terminal, the password digested', () => {
  const ctx = replay(new RloginAnalyzer(), [
    { isOrig: true, bytes: HELLO },
    { isOrig: false, bytes: b('\0') },
    { isOrig: false, bytes: b('Password: ') },
    { isOrig: true, bytes: b('s3cr3t\r') },
    { isOrig: false, bytes: b('\r\nLast login: Tue Feb  2 from ws1\r\n# ') },
  ]);
  const a = ctx.of('login.attempt');
  assert.deepEqual(a.map((x) => [x.service, x.user, x.client_user, x.client_banner, x.success, x.password_sent]), [['rlogin', 'root', 'jdoe', 'xterm/38400', true, true]]);
  assert.ok(!JSON.stringify(ctx.events).includes('s3cr3t'));
  assert.deepEqual(ctx.services, ['rlogin']);
});

test('a trusted-host login (no password) succeeds with no credential', () => {
  const ctx = replay(new RloginAnalyzer(), [
    { isOrig: true, bytes: HELLO.subarray(0, 7) },
    { isOrig: true, bytes: HELLO.subarray(7) },
    { isOrig: false, bytes: b('\0Last login: Tue\r\n[root@infusion ~]# ') },
  ]);
  assert.deepEqual(ctx.of('login.attempt').map((x) => [x.user, x.success, x.password_sent]), [['root', true, false]]);
  assert.equal(ctx.of('credential').length, 0);
});

test('the rlogin parser and analyzer survive truncation and mutation', () => {
  const seed = Buffer.concat([HELLO, b('Password: \r\nLogin incorrect\r\n')]);
  fuzzParser([HELLO, seed], (x) => {
    parseHandshake(x, 0, x.length);
    probe(x, 0, x.length, true);
    const ctx = new FakeContext(1023, 513);
    const a = new RloginAnalyzer();
    a.data(ctx, true, x, 0, x.length);
    a.data(ctx, false, x, 0, x.length);
    a.data(ctx, true, x, 0, x.length);
    a.end(ctx);
  }, { mutations: 300 });
});
