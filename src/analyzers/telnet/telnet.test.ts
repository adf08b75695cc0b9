// Telnet analyzer and login dialog tests. The corpus holds one Telnet capture (Zeek's
// telnet-auth-missing-name: an AUTHENTICATION reply with no NAME, on port 21) and no capture of
// a Telnet login, so the login dialog is tested on synthetic sessions written after a Linux
// telnetd's byte sequences (RFC 854 negotiation, echoed user name, CR NUL line ends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { FakeContext, replay, type Chunk } from '../streams.testutil.js';
import { TelnetAnalyzer } from './analyzer.js';
import { authName, environUser, newIacState, stripIac, terminalType } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const b = (...parts: (string | number[])[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const IAC = 255;

/** A client typing one character per segment, as interactive Telnet clients do. */
function typed(text: string, echo: boolean): Chunk[] {
  const out: Chunk[] = [];
  for (const ch of text) {
    out.push({ isOrig: true, bytes: b(ch) });
    if (echo && ch !== '\r' && ch !== '\0') out.push({ isOrig: false, bytes: b(ch) });
  }
  return out;
}

const SESSION: Chunk[] = [
  { isOrig: false, bytes: b([IAC, 253, 24, IAC, 253, 32, IAC, 253, 39]) },
  { isOrig: true, bytes: b([IAC, 251, 24, IAC, 251, 39]) },
  { isOrig: true, bytes: b([IAC, 250, 24, 0], 'XTERM', [IAC, 240]) },
  { isOrig: false, bytes: b('Ubuntu 22.04.3 LTS\r\n', [IAC, 251, 1], 'pump-gw login: ') },
  ...typed('root\r\0', true),
  { isOrig: false, bytes: b('\r\nPassword: ') },
  ...typed('toor\r\0', false),
  { isOrig: false, bytes: b('\r\n\r\nLogin incorrect\r\npump-gw login: ') },
  ...typed('admim\x7fn\r\0', true),
  { isOrig: false, bytes: b('\r\nPassword: ') },
  ...typed('admin123\r\0', false),
  { isOrig: false, bytes: b('\r\nLast login: Mon Jan  1 10:00:00 from 10.0.0.9\r\nadmin@pump-gw:~$ ') },
];

test('stripIac() removes negotiation and subnegotiation, even split across segments', () => {
  const st = newIacState();
  const one = stripIac(b('ab', [IAC, 251]), 0, 4, st);
  const second = b([1], 'c', [IAC, IAC], [IAC, 250, 24, 0], 'VT100', [IAC, 240], 'd');
  const two = stripIac(second, 0, second.length, st);
  assert.equal(Buffer.from(one.data).toString('latin1') + Buffer.from(two.data).toString('latin1'), 'abc\xffd');
  assert.equal(one.negotiations + two.negotiations, 1);
  assert.equal(terminalType(two.subnegs[0]), 'VT100');
});

test('NEW-ENVIRON USER and AUTHENTICATION NAME give the user name', () => {
  assert.equal(environUser(b([39, 0, 0], 'USER', [1], 'nurse', [3], 'X', [1], 'y')), 'nurse');
  assert.equal(environUser(b([39, 1, 0], 'USER')), null);
  assert.equal(authName(b([37, 3], 'alice')), 'alice');
});

test('probe() is sure of option negotiation, unsure of plain text, refuses binary', () => {
  assert.equal(probe(b([IAC, 253, 24]), 0, 3), PROBE_YES);
  assert.equal(probe(b([IAC, 250, 37]), 0, 3), PROBE_YES);
  assert.equal(probe(b('login: '), 0, 7), PROBE_MAYBE);
  assert.equal(probe(b([0x16, 3, 1]), 0, 3), PROBE_NO);
});

test('a refused and an accepted login are two attempts, passwords digested and never kept', () => {
  const ctx = replay(new TelnetAnalyzer(), SESSION);
  const att = ctx.of('login.attempt');
  assert.deepEqual(att.map((a) => [a.user, a.success, a.password_sent]), [
    ['root', false, true],
    ['admin', true, true],
  ]);
  assert.equal(att[0].client_banner, 'XTERM');
  assert.equal(att[0].server_banner, 'Ubuntu 22.04.3 LTS');
  const creds = ctx.of('credential');
  assert.deepEqual(creds.map((c) => [c.protocol, c.user, c.success]), [
    ['telnet', 'root', false],
    ['telnet', 'admin', true],
  ]);
  const all = JSON.stringify(ctx.events);
  assert.ok(!all.includes('toor') && !all.includes('admin123'));
  assert.deepEqual(ctx.services, ['telnet']);
});

test('a session cut off after the password logs the attempt with no outcome', () => {
  const ctx = replay(new TelnetAnalyzer(), SESSION.slice(0, 4 + 2 * 4 + 1 + 1 + 6));
  const att = ctx.of('login.attempt');
  assert.equal(att.length, 1);
  assert.equal(att[0].user, 'root');
  assert.equal(att[0].success, undefined);
});

test('a device asking "Username:" and refusing with "% Login invalid" is a failure', () => {
  // Synthetic, in the form of network-device consoles (User Access Verification).
  const ctx = replay(new TelnetAnalyzer(), [
    { isOrig: false, bytes: b([IAC, 251, 1, IAC, 251, 3], '\r\n\r\nUser Access Verification\r\n\r\nUsername: ') },
    { isOrig: true, bytes: b('cisco\r\n') },
    { isOrig: false, bytes: b('cisco\r\nPassword: ') },
    { isOrig: true, bytes: b('cisco\r\n') },
    { isOrig: false, bytes: b('\r\n% Login invalid\r\n\r\nUsername: ') },
  ]);
  assert.deepEqual(ctx.of('login.attempt').map((a) => [a.user, a.success]), [['cisco', false]]);
});

test("Zeek's telnet-auth-missing-name trace is Telnet (found on port 21) and logs no login", { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/telnet-auth-missing-name.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['telnet']);
    // Zeek's baseline output is empty: authentication_accepted is never raised without a name.
    assert.equal(run.log('login').length, 0);
    assert.equal(run.result.stats.analyzer_failures, 0);
  } finally {
    run.cleanup();
  }
});

test('syslog over TCP on the rsh port is neither Telnet nor rlogin (nDPI: Syslog)', { skip }, async () => {
  for (const p of ['ndpi/pcap/rsh-syslog-false-positive.pcap', 'zeek/traces/tcp-syslog.pcap']) {
    const run = await runCaptures([corpus(p)]);
    try {
      for (const c of run.conns) assert.ok(!/telnet|rlogin/.test(c.service), `${p}: ${c.service}`);
      assert.equal(run.log('login').length, 0);
    } finally {
      run.cleanup();
    }
  }
});

test('the Telnet parser and analyzer survive truncation and mutation', () => {
  const seeds = [b([IAC, 250, 37, 2, 2, IAC, 240]), Buffer.concat(SESSION.slice(0, 6).map((c) => c.bytes))];
  fuzzParser(seeds, (x) => {
    const r = stripIac(x, 0, x.length, newIacState());
    for (const sb of r.subnegs) {
      terminalType(sb);
      environUser(sb);
      authName(sb);
    }
    probe(x, 0, x.length);
    const ctx = new FakeContext(40000, 23);
    const a = new TelnetAnalyzer();
    a.data(ctx, false, x, 0, x.length);
    a.data(ctx, true, x, 0, x.length);
    a.end(ctx);
  }, { mutations: 300 });
});
