// IMAP analyzer tests: Arkime's imap.test and Suricata's imap-detection flow, nDPI's user and
// STARTTLS results, literals on both sides, NTLM tokens, cleartext passwords absent from every
// log, and parser/analyzer robustness on real bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { captureStreams, findFlow, logStrings, ndpiFlows, replay } from '../streams.testutil.js';
import { ImapAnalyzer } from './analyzer.js';
import { astrings, parseCommand, parseResponse, trailingLiteral } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('command and response lines parse (RFC 9051 §2.2, §7)', () => {
  assert.deepEqual(parseCommand('a0001 LOGIN "neulingern" "x"'), { tag: 'a0001', cmd: 'LOGIN', args: '"neulingern" "x"' });
  assert.deepEqual(parseCommand('C5 UID FETCH 1:* (FLAGS)'), { tag: 'C5', cmd: 'UID FETCH', args: '1:* (FLAGS)' });
  assert.deepEqual(parseResponse('a1 NO [AUTHENTICATIONFAILED] bad'), { kind: 'tagged', tag: 'a1', status: 'NO', text: '[AUTHENTICATIONFAILED] bad' });
  assert.deepEqual(parseResponse('+ '), { kind: 'continue', text: '' });
  assert.equal(trailingLiteral('* 1 FETCH (BODY[] {666}'), 666);
  assert.equal(trailingLiteral('a LOGIN {5+}'), 5);
  assert.deepEqual(astrings('"a \\"b\\"" c', 2), ['a "b"', 'c']);
});

test('probe() is sure of an IMAP greeting and refuses POP3', () => {
  assert.equal(probe(enc('* OK IMAP4rev1 ready\r\n'), 0, 22, false), PROBE_YES);
  assert.equal(probe(enc('* OK ready\r\n'), 0, 12, false), PROBE_MAYBE);
  assert.equal(probe(enc('+OK POP3\r\n'), 0, 10, false), PROBE_NO);
});

test('LOGIN with literals and FETCH literals holding fake responses are read correctly', () => {
  // Synthetic: no corpus capture sends LOGIN arguments as literals (RFC 9051 §4.3).
  const body = 'a2 OK fake\r\n* BYE fake\r\n';
  const ctx = replay(new ImapAnalyzer(), [
    { isOrig: false, bytes: enc('* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n') },
    { isOrig: true, bytes: enc('a1 LOGIN {5}\r\n') },
    { isOrig: false, bytes: enc('+ go\r\n') },
    { isOrig: true, bytes: enc('alice {11+}\r\nwonder land\r\na2 FETCH 1 BODY[]\r\n') },
    { isOrig: false, bytes: enc(`a1 OK done\r\n* 1 FETCH (BODY[] {${body.length}}\r\n${body})\r\na2 NO not really\r\n`) },
    { isOrig: true, bytes: enc('a3 AUTHENTICATE PLAIN ' + Buffer.from('\0bob\0pw').toString('base64') + '\r\n') },
    { isOrig: false, bytes: enc('a3 NO [AUTHENTICATIONFAILED] no\r\n') },
  ]);
  const s = ctx.of('imap.session')[0];
  assert.equal(s.user, 'bob');
  assert.equal(s.auth_attempts, 2);
  assert.equal(s.success, false);
  assert.equal(s.banner, 'Dovecot ready.');
  const creds = ctx.of('credential');
  assert.deepEqual(creds.map((c) => `${c.user} ${c.success}`), ['alice true', 'bob false']);
  assert.ok(!JSON.stringify(ctx.events).includes('wonder'));
  assert.deepEqual(ctx.weirds, []);
});

test("the session agrees with Arkime's imap.test and Suricata's imap-detection flow", { skip }, async () => {
  const t = JSON.parse(readFileSync(corpus('arkime/tests/pcap/imap.test'), 'utf8')) as { sessions3: { body: { protocol: string[]; source: { ip: string; port: number }; destination: { ip: string; port: number } } }[] };
  const imapSessions = t.sessions3.filter((s) => s.body.protocol.includes('imap'));
  for (const pcap of ['arkime/tests/pcap/imap.pcap', 'suricata-verify/tests/imap-detection/input.pcap']) {
    const run = await runCaptures([corpus(pcap)]);
    try {
      for (const s of imapSessions) {
        const f = { a: s.body.source.ip, ap: s.body.source.port, b: s.body.destination.ip, bp: s.body.destination.port };
        assert.equal(findFlow(run.log('conn'), f)?.service, 'imap');
        const l = findFlow(run.log('imap'), f)!;
        assert.deepEqual([l.user, l.success, l.password], ['neulingern', true, '<redacted>']);
      }
      // Only the IMAP flows are IMAP (Arkime: the others are plain tcp/udp).
      assert.equal(run.conns.filter((c) => c.service === 'imap').length, imapSessions.length);
    } finally {
      run.cleanup();
    }
  }
});

for (const p of ['imap.pcap', 'imap-starttls.pcap']) {
  test(`conn.log service, user and STARTTLS agree with nDPI's ${p} result`, { skip }, async () => {
    const flows = ndpiFlows(readFileSync(corpus('ndpi/result', p + '.out'), 'utf8')).filter((f) => /^IMAPS?$/.test(f.proto));
    assert.ok(flows.length > 0);
    const run = await runCaptures([corpus('ndpi/pcap', p)]);
    try {
      for (const f of flows) {
        // After a successful STARTTLS the rest of the flow is TLS: Zeek names it "imap,ssl".
        assert.equal(findFlow(run.log('conn'), f)?.service, f.proto === 'IMAPS' ? 'imap,ssl' : 'imap');
        const s = findFlow(run.log('imap'), f)!;
        assert.equal(s.tls, f.proto === 'IMAPS');
        const user = /\[User: ([^\]]*)\]/.exec(f.line);
        if (user !== null) assert.equal(s.user, user[1]);
      }
      for (const s of logStrings(run.outDir)) assert.ok(!s.includes('pfres'), 'a log holds the password');
    } finally {
      run.cleanup();
    }
  });
}

test('the parsers and the analyzer survive truncation and mutation of a real IMAP session', { skip }, async () => {
  const s = (await captureStreams(corpus('ndpi/pcap/imap.pcap'))).find((x) => x.rPort === 143)!;
  const lines = Buffer.concat([s.orig, s.resp.subarray(0, 1500)]).toString('latin1').split('\r\n').slice(0, 40).map(enc);
  fuzzParser(lines, (b) => {
    const t = Buffer.from(b).toString('latin1');
    parseCommand(t);
    parseResponse(t);
    trailingLiteral(t);
    astrings(t, 4);
    probe(b, 0, b.length, false);
  }, { mutations: 30 });
  fuzzParser([s.orig.subarray(0, 400), s.resp.subarray(0, 1200)], (b) => {
    replay(new ImapAnalyzer(), [
      { isOrig: false, bytes: b },
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  }, { mutations: 100 });
});
