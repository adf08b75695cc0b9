// SMTP analyzer tests: smtp.log against every Zeek smtp.log baseline, nDPI's protocol per flow
// for conn.log service and STARTTLS, the AUTH LOGIN credential of Zeek's smtp.pcap (never in a
// log), NTLM tokens handed on, and robustness of parser and analyzer on real bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, REPO_ROOT, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { join } from 'node:path';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { captureStreams, FakeContext, findFlow, logStrings, ndpiFlows, replay } from '../streams.testutil.js';
import { SmtpAnalyzer } from './analyzer.js';
import { extractEmails, parseCommand, parseReply, receivedAddress, splitAddressList } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('commands, replies and addresses parse as RFC 5321/5322 write them', () => {
  assert.deepEqual(parseCommand('MAIL FROM: <a@b.c> SIZE=10'), { cmd: 'MAIL', arg: 'FROM: <a@b.c> SIZE=10' });
  assert.deepEqual(parseReply('250-PIPELINING'), { code: 250, sep: '-', text: 'PIPELINING' });
  assert.equal(parseReply('hello'), null);
  assert.deepEqual(extractEmails('TO:<x@y.z> ORCPT=rfc822;x@y.z'), ['x@y.z']);
  assert.deepEqual(splitAddressList('"Doe, J" <j@d.e>, k@l.m'), ['"Doe, J" <j@d.e>', 'k@l.m']);
  assert.equal(receivedAddress('from a ([10.0.0.1]) by b (1.2.3.4) with SMTP'), '1.2.3.4');
  assert.equal(receivedAddress('from a by b'), null);
});

test('probe() is sure of an ESMTP greeting or EHLO, unsure of a bare 220, refuses FTP', () => {
  assert.equal(probe(enc('220 mx ESMTP Postfix\r\n'), 0, 22, false), PROBE_YES);
  assert.equal(probe(enc('220 welcome\r\n'), 0, 13, false), PROBE_MAYBE);
  assert.equal(probe(enc('220 (vsFTPd 3.0.5)\r\n'), 0, 20, false), PROBE_NO);
  assert.equal(probe(enc('EHLO client\r\n'), 0, 13, true), PROBE_YES);
  assert.equal(probe(enc('USER x\r\n'), 0, 8, true), PROBE_NO);
});

test('pipelined commands, AUTH PLAIN and a BDAT message are followed to their replies', () => {
  // Synthetic: no corpus capture uses BDAT (RFC 3030) or AUTH PLAIN with an initial response.
  const plain = Buffer.from('\0alice\0wonderland').toString('base64');
  const ctx = replay(new SmtpAnalyzer(), [
    { isOrig: false, bytes: enc('220 mx ESMTP Postfix (Debian/GNU)\r\n') },
    { isOrig: true, bytes: enc(`EHLO c\r\nAUTH PLAIN ${plain}\r\n`) },
    { isOrig: false, bytes: enc('250-mx\r\n250 CHUNKING\r\n235 2.7.0 ok\r\n') },
    { isOrig: true, bytes: enc('MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 12 LAST\r\nSubject: x\r\n\r\nQUIT\r\n') },
    { isOrig: false, bytes: enc('250 ok\r\n250 ok\r\n250 queued\r\n221 bye\r\n') },
  ]);
  const tx = ctx.of('smtp.transaction');
  assert.equal(tx.length, 1);
  assert.equal(tx[0].mailfrom, 'a@b.c');
  assert.deepEqual(tx[0].rcptto, ['d@e.f']);
  assert.equal(tx[0].last_reply, '250 queued');
  assert.equal(tx[0].user, 'alice');
  assert.equal(tx[0].password_sent, true);
  const cred = ctx.of('credential');
  assert.deepEqual([cred[0].user, cred[0].success], ['alice', true]);
  assert.ok(!JSON.stringify(ctx.events).includes('wonderland'));
  assert.deepEqual(ctx.services, ['smtp']);
});

test('BDAT: chunks that are not the last are answered too; a message ending without CR LF, a zero-length LAST chunk and a gap inside a chunk (synthetic)', () => {
  // Synthetic: the generated Postfix capture (files.test.ts) ends its messages with CR LF and loses nothing.
  const body = 'Subject: chunked\r\nContent-Type: text/plain\r\n\r\nline one\r\nno newline at the end';
  const turns = [
    { isOrig: false, bytes: enc('220 mx ESMTP\r\n') },
    { isOrig: true, bytes: enc('EHLO c\r\n') },
    { isOrig: false, bytes: enc('250-mx\r\n250 CHUNKING\r\n') },
    { isOrig: true, bytes: enc(`MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 20\r\n${body.slice(0, 20)}BDAT ${body.length - 20}\r\n${body.slice(20)}BDAT 0 LAST\r\n`) },
    { isOrig: false, bytes: enc('250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: 20 bytes\r\n250 2.0.0 Ok: 71 bytes\r\n250 2.0.0 Ok: 71 bytes queued as 1\r\n') },
    { isOrig: true, bytes: enc('QUIT\r\n') },
    { isOrig: false, bytes: enc('221 bye\r\n') },
  ];
  const ctx = replay(new SmtpAnalyzer(), turns);
  const tx = ctx.of('smtp.transaction');
  assert.deepEqual(tx.map((t) => [t.subject, t.last_reply]), [['chunked', '250 2.0.0 Ok: 71 bytes queued as 1']]);
  const files = ctx.of('files.file');
  assert.deepEqual(files.map((f) => [f.mime_type, f.seen_bytes, f.missing_bytes]), [['text/plain', 'line one\r\nno newline at the end'.length, 0]]);
  assert.deepEqual(ctx.weirds, []);
  // Byte by byte: the same.
  const one = replay(new SmtpAnalyzer(), turns.flatMap((c) => Array.from(c.bytes, (b) => ({ isOrig: c.isOrig, bytes: Uint8Array.of(b) }))));
  assert.deepEqual(one.of('files.file').map((f) => [f.seen_bytes, f.md5]), files.map((f) => [f.seen_bytes, f.md5]));
  // A gap inside the second chunk: the file says bytes are missing, the commands after it are still read.
  const a = new SmtpAnalyzer();
  const g = new FakeContext(40000, 25);
  for (const t of turns.slice(0, 3)) a.data(g, t.isOrig, t.bytes, 0, t.bytes.length);
  const c = turns[3].bytes;
  const cut = Buffer.from(c).indexOf('line one');
  a.data(g, true, c, 0, cut);
  a.gap(g, true, 4);
  a.data(g, true, c, cut + 4, c.length - cut - 4);
  for (const t of turns.slice(4)) a.data(g, t.isOrig, t.bytes, 0, t.bytes.length);
  a.end(g);
  assert.deepEqual(g.of('smtp.transaction').map((t) => t.last_reply), ['250 2.0.0 Ok: 71 bytes queued as 1']);
  assert.ok(Number(g.of('files.file')[0].missing_bytes) > 0);
});

test('BDAT: RSET abandons a message whose LAST chunk never came; the next message starts afresh (synthetic)', () => {
  // Synthetic: RFC 3030 §4.1's abandoned transaction; no capture has one.
  const first = 'Subject: abandoned\r\n\r\nhalf of it\r\n';
  const second = 'Subject: sent\r\n\r\nall of it\r\n';
  const ctx = replay(new SmtpAnalyzer(), [
    { isOrig: false, bytes: enc('220 mx ESMTP\r\n') },
    { isOrig: true, bytes: enc('EHLO c\r\n') },
    { isOrig: false, bytes: enc('250-mx\r\n250 CHUNKING\r\n') },
    { isOrig: true, bytes: enc(`MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT ${first.length}\r\n${first}RSET\r\n`) },
    { isOrig: false, bytes: enc('250 ok\r\n250 ok\r\n250 ok\r\n250 reset\r\n') },
    { isOrig: true, bytes: enc(`MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT ${second.length} LAST\r\n${second}`) },
    { isOrig: false, bytes: enc('250 ok\r\n250 ok\r\n250 queued\r\n') },
  ]);
  const files = ctx.of('files.file');
  // The abandoned text is a file cut short (no hashes); the sent one is whole.
  assert.deepEqual(files.map((f) => [f.seen_bytes, f.md5 === undefined]), [[12, true], [11, false]]);
  // Both transactions are logged (Zeek logs one on RSET too), each with its own header fields.
  assert.deepEqual(ctx.of('smtp.transaction').map((t) => t.subject), ['abandoned', 'sent']);
  assert.equal(ctx.of('smtp.transaction')[1].last_reply, '250 queued');
});

const SET_FIELDS = new Set(['rcptto', 'to', 'cc', 'path']);
const FIELDS = ['trans_depth', 'helo', 'mailfrom', 'rcptto', 'date', 'from', 'to', 'cc', 'reply_to', 'msg_id', 'in_reply_to', 'subject', 'x_originating_ip', 'first_received', 'second_received', 'last_reply', 'path', 'user_agent', 'tls'];

const zeekSmtp = skip ? [] : zeekBaselines('smtp.log');

test('the corpus has Zeek smtp.log baselines', { skip }, () => {
  assert.ok(zeekSmtp.length >= 2);
});

for (const { trace, baseline } of zeekSmtp) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`smtp.log matches Zeek's ${name}`, { skip: !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('smtp');
      assert.equal(got.length, want.length);
      for (const w of want) {
        const g = got.find((r) => String(r['id.orig_p']) === w['id.orig_p'] && String(r.trans_depth) === w.trans_depth);
        assert.ok(g, `no record for port ${w['id.orig_p']}`);
        for (const f of FIELDS) {
          const v: unknown = g[f];
          if (SET_FIELDS.has(f) && f !== 'path') {
            // Zeek logs sets in hash order: compare as sets.
            assert.deepEqual(v === undefined ? [] : [...(v as string[])].sort(), w[f] === '-' ? [] : w[f].split(',').sort(), f);
          } else if (f === 'path') assert.equal((v as string[]).join(','), w[f], f);
          else if (f === 'tls') assert.equal(v ? 'T' : 'F', w[f], f);
          else assert.equal(v === undefined ? '-' : String(v), w[f], f);
        }
        // fuids: as many files as Zeek's, one per MIME leaf part (the ids themselves differ).
        if (w.fuids !== undefined) assert.equal(((g.fuids as string[] | undefined) ?? []).length, w.fuids === '-' || w.fuids === '(empty)' ? 0 : w.fuids.split(',').length, 'fuids');
      }
    } finally {
      run.cleanup();
    }
  });
}

test("AUTH LOGIN in Zeek's smtp.pcap is a successful credential, and its password is in no log", { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/smtp.pcap')]);
  try {
    const creds = run.result.events.map((e) => e.ev).filter((e) => e.type === 'credential');
    assert.deepEqual(creds.map((c) => [c.protocol, c.user, c.success]), [['smtp', 'gurpartap@patriots.in', true]]);
    assert.match(String(creds[0].secret), /^[0-9a-f]{64}$/);
    const log = run.log('smtp').find((r) => r.user !== undefined)!;
    assert.equal(log.password, '<redacted>');
    for (const s of logStrings(run.outDir)) {
      assert.ok(!s.includes('punjab@123') && !s.includes('cHVuamFiQDEyMw=='), 'a log holds the password');
    }
  } finally {
    run.cleanup();
  }
});

for (const p of ['smtp.pcap', 'smtp-starttls.pcap']) {
  test(`conn.log names service smtp on every flow nDPI calls SMTP(S) in ${p}, with tls after STARTTLS`, { skip }, async () => {
    const flows = ndpiFlows(readFileSync(corpus('ndpi/result', p + '.out'), 'utf8')).filter((f) => /^SMTPS?\b/.test(f.proto));
    assert.ok(flows.length > 0);
    const run = await runCaptures([corpus('ndpi/pcap', p)]);
    try {
      for (const f of flows) {
        const c = findFlow(run.log('conn'), f);
        assert.ok(c && String(c.service).split(',').includes('smtp'), `service of ${f.a}:${f.ap}: ${c?.service}`);
        // nDPI names a flow SMTPS once STARTTLS succeeded.
        const s = findFlow(run.log('smtp'), f);
        assert.ok(s, `no smtp.log line for ${f.a}:${f.ap}`);
        assert.equal(s.tls, f.proto.startsWith('SMTPS'));
      }
    } finally {
      run.cleanup();
    }
  });
}

test('the parsers survive truncation and mutation of real SMTP lines', { skip }, async () => {
  const s = (await captureStreams(corpus('zeek/traces/smtp.pcap'))).find((x) => x.rPort === 25)!;
  const lines = Buffer.concat([s.orig.subarray(0, 1500), s.resp]).toString('latin1').split('\r\n').filter((l) => l !== '').slice(0, 40).map(enc);
  fuzzParser(lines, (b) => {
    const t = Buffer.from(b).toString('latin1');
    parseCommand(t);
    parseReply(t);
    extractEmails(t);
    splitAddressList(t);
    receivedAddress(t);
    probe(b, 0, b.length, true);
    probe(b, 0, b.length, false);
  }, { mutations: 40 });
});

test('the analyzer survives truncation and mutation of a real SMTP session', { skip }, async () => {
  const s = (await captureStreams(corpus('zeek/traces/smtp.pcap'))).find((x) => x.rPort === 25)!;
  fuzzParser([s.orig.subarray(0, 1200), s.resp.subarray(0, 700)], (b) => {
    replay(new SmtpAnalyzer(), [
      { isOrig: false, bytes: s.resp.subarray(0, 200) },
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  }, { mutations: 150 });
});

test('the analyzer survives truncation and mutation of a BDAT session (generated: smtplib to Postfix)', async () => {
  const s = (await captureStreams(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-smtp-bdat.pcap')))[0];
  // The client's stream from its EHLO, BDAT lengths and chunk bytes included, cut and mutated.
  fuzzParser([s.orig], (b) => {
    replay(new SmtpAnalyzer(), [
      { isOrig: false, bytes: s.resp.subarray(0, 200) },
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: s.resp.subarray(200) },
    ]);
  }, { mutations: 150 });
});
