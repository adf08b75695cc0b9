// POP3 analyzer tests: Suricata's pop3-03 login outcomes, nDPI's per-flow protocol and user
// for conn.log service and the pop3.log user, STLS, Arkime's pop3-tag session, NTLM tokens,
// cleartext passwords absent from every log, and parser/analyzer robustness on real bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { captureStreams, findFlow, logStrings, ndpiFlows, replay } from '../streams.testutil.js';
import { Pop3Analyzer } from './analyzer.js';
import { isMultiLine, parseCommand, parseResponse } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('commands and status lines parse (RFC 1939 §3)', () => {
  assert.deepEqual(parseCommand('user bob'), { cmd: 'USER', arg: 'bob' });
  assert.deepEqual(parseResponse('-ERR the password incorrect'), { status: '-ERR', text: 'the password incorrect' });
  assert.deepEqual(parseResponse('+OK'), { status: '+OK', text: '' });
  assert.deepEqual(parseResponse('+ '), { status: '+', text: '' });
  assert.equal(parseResponse('* OK IMAP'), null);
  assert.equal(isMultiLine('LIST', ''), true);
  assert.equal(isMultiLine('LIST', '1'), false);
});

test('probe() is sure of a POP greeting and refuses IMAP and SMTP', () => {
  assert.equal(probe(enc('+OK POP3 ready\r\n'), 0, 16, false), PROBE_YES);
  assert.equal(probe(enc('+OK lavad\r\n'), 0, 11, false), PROBE_MAYBE);
  assert.equal(probe(enc('* OK IMAP4rev1\r\n'), 0, 16, false), PROBE_NO);
  assert.equal(probe(enc('220 mx ESMTP\r\n'), 0, 14, false), PROBE_NO);
});

test('message content that looks like a status line is skipped inside a multi-line response', () => {
  // Synthetic: a RETR whose body holds "+OK"/"-ERR" lines must not answer later commands.
  const ctx = replay(new Pop3Analyzer(), [
    { isOrig: false, bytes: enc('+OK POP3 ready\r\n') },
    { isOrig: true, bytes: enc('USER u\r\nPASS p\r\nRETR 1\r\nQUIT\r\n') },
    { isOrig: false, bytes: enc('+OK\r\n-ERR no\r\n+OK 12 octets\r\n-ERR fake\r\n+OK fake\r\n.\r\n+OK bye\r\n') },
  ]);
  const s = ctx.of('pop3.session')[0];
  assert.equal(s.success, false);
  assert.deepEqual(ctx.weirds, []);
});

test("login outcomes agree with Suricata's pop3-03-bug-7709 checks", { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify/tests/pop3-03-bug-7709/input.pcap')]);
  try {
    assert.equal(run.conns.filter((c) => c.service === 'pop3').length, 2);
    const sessions = run.log('pop3');
    // One PASS succeeded, one failed ("the password incorrect").
    assert.deepEqual(sessions.map((s) => s.success).sort(), [false, true]);
    const creds = run.result.events.map((e) => e.ev).filter((e) => e.type === 'credential');
    assert.deepEqual(creds.map((c) => `${c.user} ${c.success}`).sort(), ['test true', 'test@tt.com false']);
    for (const s of logStrings(run.outDir)) assert.ok(!s.includes('123456'), 'a log holds the password');
  } finally {
    run.cleanup();
  }
});

for (const p of ['pop3.pcap', 'pop3_stls.pcap']) {
  test(`conn.log service, user and STLS agree with nDPI's ${p} result`, { skip }, async () => {
    const out = readFileSync(corpus('ndpi/result', p + '.out'), 'utf8');
    const flows = ndpiFlows(out).filter((f) => /^POPS?$/.test(f.proto) || f.proto === 'POP3');
    assert.ok(flows.length > 0);
    const run = await runCaptures([corpus('ndpi/pcap', p)]);
    try {
      for (const f of flows) {
        const c = findFlow(run.log('conn'), f);
        // After STLS the rest of the flow is TLS: "pop3,ssl" as Zeek names such flows.
        const want = f.proto === 'POPS' ? 'pop3,ssl' : 'pop3';
        assert.ok(c && c.service === want, `service of ${f.a}:${f.ap}: ${c?.service}`);
        const s = findFlow(run.log('pop3'), f);
        assert.ok(s, `no pop3.log line for ${f.a}:${f.ap}`);
        // nDPI calls the flow POPS once STLS succeeded.
        assert.equal(s.tls, f.proto === 'POPS');
        const user = /\[User: ([^\]]*)\]/.exec(f.line);
        if (user !== null) assert.equal(s.user, user[1]);
      }
      for (const s of logStrings(run.outDir)) assert.ok(!s.includes('pippozzo') && !s.includes('napier') && !s.includes('AG5hcGllcg=='), 'a log holds a password');
    } finally {
      run.cleanup();
    }
  });
}

test("Arkime's pop3-tag session is POP3", { skip }, async () => {
  const t = JSON.parse(readFileSync(corpus('arkime/tests/pcap/pop3-tag.test'), 'utf8')) as { sessions3: { body: { protocol: string[] } }[] };
  assert.ok(t.sessions3[0].body.protocol.includes('pop3'));
  const run = await runCaptures([corpus('arkime/tests/pcap/pop3-tag.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['pop3']);
    assert.equal(run.log('pop3')[0].banner, 'POP3 ready');
  } finally {
    run.cleanup();
  }
});

test('the parsers and the analyzer survive truncation and mutation of real POP3 sessions', { skip }, async () => {
  const streams = await captureStreams(corpus('ndpi/pcap/pop3.pcap'));
  const s = streams.find((x) => x.orig.length > 40)!;
  const lines = Buffer.concat([s.orig, s.resp.subarray(0, 800)]).toString('latin1').split('\r\n').slice(0, 30).map(enc);
  fuzzParser(lines, (b) => {
    const t = Buffer.from(b).toString('latin1');
    parseCommand(t);
    parseResponse(t);
    probe(b, 0, b.length, false);
    probe(b, 0, b.length, true);
  }, { mutations: 40 });
  fuzzParser([s.orig.subarray(0, 400), s.resp.subarray(0, 800)], (b) => {
    replay(new Pop3Analyzer(), [
      { isOrig: false, bytes: b },
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  }, { mutations: 150 });
});
