// XMPP on nDPI's captures (test/fixtures/ndpi/ndpi-xmpp.pcap): Pidgin logging in to ejabberd
// (cs-xmpp.lan) without TLS — SASL DIGEST-MD5 accepted twice and refused once — two of its
// connections caught mid-way (ad-hoc commands; a group chat and a chat with two message bodies),
// and another client opening and closing a stream. Expectations: ndpiReader 4.2's labels
// (ndpi-xmpp.pcap.out) and tshark 4.0's XMPP decode (ndpi-xmpp.tshark.tsv: each frame's summary
// and its payload, read back in sequence order here for what the summary does not show).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { XmppAnalyzer } from './analyzer.js';
import { XmlStream } from './parse.js';
import { probe } from './probe.js';
import { assessCaptures } from '../../assess/testutil.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-xmpp.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Row {
  frame: number;
  stream: number;
  port: number;
  seq: number;
  info: string;
  text: string;
}

function rows(): Row[] {
  return readFileSync(join(DIR, 'ndpi-xmpp.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { frame: Number(f[0]), stream: Number(f[1]), port: Number(f[2]), seq: Number(f[3]), info: f[4].trim(), text: Buffer.from(f[5], 'hex').toString('utf8') };
    });
}

/** One direction of one stream, its payloads in sequence order. */
function side(rs: Row[], stream: number, client: boolean): { rows: Row[]; text: string } {
  const mine = rs.filter((r) => r.stream === stream && (r.port === 5222) !== client).sort((a, b) => a.seq - b.seq);
  return { rows: mine, text: mine.map((r) => r.text).join('') };
}

const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

test("xmpp.log: domains, SASL mechanisms, user, outcome, resource and software as tshark's decode shows them; stanzas counted; conn.log xmpp on every flow nDPI calls Jabber and on two it could not", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-xmpp.pcap.out'));
  const rs = rows();
  const run = await runCaptures([PCAP]);
  try {
    const conn = (port: number): string => run.conns.find((x) => x.oPort === port)!.service;
    for (const f of ndpi.filter((x) => x.app === 'Jabber')) assert.equal(conn(f.aPort), 'xmpp', f.line);
    // nDPI waits for a stream header; these two connections were caught mid-way, and tshark
    // decodes their first frames as stanzas (IQ, PRESENCE).
    for (const port of [57129, 57149]) {
      assert.equal(ndpi.find((f) => f.aPort === port)!.app, 'Unknown');
      const stream = rs.find((r) => r.port === port)!.stream;
      assert.match(rs.find((r) => r.stream === stream)!.info, /^(IQ|PRESENCE)/);
      assert.equal(conn(port), 'xmpp', `${port}`);
    }
    const log = run.log('xmpp');
    // tshark's stream 5 (client port 57149) is two connections to wardline, as to Zeek: ten
    // minutes of silence (1502380919 → 1502381519) pass its 5-minute TCP inactivity timeout.
    // Its counts are the sum of the two logs.
    const streams = [...new Set(rs.map((r) => r.stream))].sort((a, b) => a - b);
    for (const stream of streams) {
      const c = side(rs, stream, true);
      const s = side(rs, stream, false);
      const port = (c.rows[0] ?? s.rows[0]).port === 5222 ? -1 : (c.rows[0] ?? s.rows[0]).port;
      const mine = log.filter((x) => x['id.orig_p'] === port);
      const sum = (k: string): number => mine.reduce((n, x) => n + ((x[k] as number | undefined) ?? 0), 0);
      const l = mine[0];
      if (l === undefined) {
        // The client that only closed a stream (frame "</stream:stream>" alone) opened nothing.
        assert.match(c.text, /^<\/stream:stream>$/);
        continue;
      }
      const to = c.rows.find((r) => r.info.startsWith('STREAM >'));
      assert.equal(l.to ?? '', to ? to.info.slice('STREAM > '.length) : '', `to of ${port}`);
      const from = s.rows.find((r) => r.info.startsWith('STREAM <'));
      assert.equal(l.from ?? '', from ? from.info.slice('STREAM < '.length) : '', `from of ${port}`);
      const features = s.rows.find((r) => r.info.startsWith('FEATURES') && r.text.includes('<mechanism>'));
      assert.deepEqual(l.mechanisms ?? [], features ? [...features.text.matchAll(/<mechanism>([^<]+)<\/mechanism>/g)].map((m) => m[1]) : [], `mechanisms of ${port}`);
      const auth = c.rows.find((r) => r.info === 'AUTH');
      assert.equal(l.mechanism ?? '', auth ? /mechanism='([^']+)'/.exec(auth.text)![1] : '', `mechanism of ${port}`);
      const verdict = s.rows.find((r) => r.info === 'SUCCESS' || r.info.startsWith('FAILURE'));
      assert.equal(l.auth_success ?? null, verdict ? verdict.info === 'SUCCESS' : null, `outcome of ${port}`);
      // DIGEST-MD5's response names the user (base64 in the RESPONSE frame).
      const resp = c.rows.find((r) => r.info === 'RESPONSE' && r.text.includes('>') && !r.text.endsWith('/>'));
      if (resp !== undefined) assert.equal(l.user, /username="([^"]+)"/.exec(Buffer.from(/>([^<]+)</.exec(resp.text)![1], 'base64').toString())![1]);
      const both = c.text + s.text;
      assert.equal(mine.length, port === 57149 ? 2 : 1);
      assert.deepEqual(
        [sum('iq'), sum('presence'), sum('message'), sum('bodies')],
        [count(both, /<iq[\s>/]/g), count(both, /<presence[\s>/]/g), count(both, /<message[\s>/]/g), count(both, /<body>/g)],
        `stanzas of ${port}`,
      );
      assert.equal(l.tls, false);
    }
    const first = log.find((x) => x['id.orig_p'] === 57094)!;
    assert.deepEqual([first.user, first.resource, first.client_software, first.server_software], ['tom', 'darkstar', 'Pidgin', 'ejabberd']);
    // Chat text never reaches an output ("hey" is the body of both messages).
    for (const f of readdirSync(join(run.outDir, 'logs'))) assert.ok(!readFileSync(join(run.outDir, 'logs', f), 'utf8').includes('"hey"'), f);
  } finally {
    run.cleanup();
  }
});

test('ejabberd is a messaging server with a clear-text XMPP finding; no credential finding (DIGEST-MD5 sends no password)', async () => {
  const { devices } = await runInventory([PCAP]);
  const server = deviceWithIp(devices, '172.16.1.138')!;
  assert.equal(server.category, 'server');
  assert.ok(server.evidence.some((e) => e.fact === 'role' && e.value === 'xmpp-server'));
  const a = await assessCaptures([PCAP]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol' && x.title.includes('XMPP'));
    assert.equal(f.length, 1);
    assert.match(f[0].detail, /XMPP \(Jabber\) without TLS: chat messages, presence and contact lists readable on port 5222/);
    assert.equal(a.result.findings.filter((x) => x.rule === 'cleartext-credentials').length, 0);
  } finally {
    a.run.cleanup();
  }
});

test('SASL PLAIN without TLS (synthetic: the capture\'s clients chose DIGEST-MD5) is a credential with the server\'s verdict; STARTTLS accepted hands the connection to TLS', () => {
  const plain = Buffer.from('\0nurse7\0Ward-3-Pass').toString('base64');
  const out = feedAnalyzer(new XmppAnalyzer(), [
    { isOrig: true, bytes: enc("<?xml version='1.0'?><stream:stream to='hospital.example' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>") },
    { isOrig: false, bytes: enc("<stream:stream from='hospital.example' id='1' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>") },
    { isOrig: true, bytes: enc(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`) },
    { isOrig: false, bytes: enc("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>") },
  ]);
  const cred = out.events.find((e) => e.type === 'credential')!;
  assert.deepEqual([cred.protocol, cred.mechanism, cred.user, cred.success, cred.password], ['xmpp', 'PLAIN', 'nurse7', true, '<redacted>']);
  assert.ok(!JSON.stringify(out.events).includes('Ward-3-Pass'));
  const tls = feedAnalyzer(new XmppAnalyzer(), [
    { isOrig: true, bytes: enc("<stream:stream to='h' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>") },
    { isOrig: false, bytes: enc("<stream:stream from='h' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>") },
    { isOrig: true, bytes: enc("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>") },
    { isOrig: false, bytes: enc("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>") },
  ]);
  assert.ok(tls.events.some((e) => e.type === 'xmpp.starttls'));
  const s = tls.events.find((e) => e.type === 'xmpp.session')!;
  assert.deepEqual([s.starttls_offered, s.starttls_required, s.tls], [true, true, true]);
});

test('probe: stream openings and stanzas are XMPP, other XML and text are not', () => {
  const rs = rows();
  const t = (s: string): number => probe(enc(s), 0, enc(s).length);
  assert.equal(t(rs[0].text), PROBE_MAYBE); // "<?xml version='1.0' ?>" alone
  assert.equal(t(rs.find((r) => r.info.startsWith('STREAM >'))!.text), PROBE_YES);
  assert.equal(t(rs.find((r) => r.port === 57129)!.text), PROBE_YES);
  assert.equal(t('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'), PROBE_NO);
  assert.equal(t('<html><body>'), PROBE_NO);
  assert.equal(t('GET / HTTP/1.1'), PROBE_NO);
});

test('the tokenizer and analyzer survive truncation, mutation and any split of real streams', () => {
  const rs = rows();
  const c = side(rs, 0, true).text;
  for (const cut of [1, 7, 30, 100, c.length - 3]) {
    const out = feedAnalyzer(new XmppAnalyzer(), [
      { isOrig: true, bytes: enc(c.slice(0, cut)) },
      { isOrig: true, bytes: enc(c.slice(cut)) },
    ]);
    const s = out.events.find((e) => e.type === 'xmpp.session')!;
    assert.deepEqual([s.to, s.resource, s.client_software], ['cs-xmpp.lan', 'darkstar', 'Pidgin'], `cut ${cut}`);
  }
  fuzzParser(
    rs.slice(0, 8).map((r) => enc(r.text)),
    (b) => {
      const x = new XmlStream({ start: () => undefined, end: () => undefined, text: () => undefined });
      x.feed(Buffer.from(b).toString('utf8'));
      probe(b, 0, b.length);
      feedAnalyzer(new XmppAnalyzer(), [
        { isOrig: true, bytes: b },
        { isOrig: false, bytes: b },
      ]);
    },
  );
});
