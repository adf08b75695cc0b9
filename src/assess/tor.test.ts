// Tor on the wire: a 2013 client's TLS 1.0 link handshakes in nDPI's captures
// (test/fixtures/ndpi/ndpi-tor.pcap: certificates in clear) and Tor 0.4.9's TLS 1.3 handshake with
// a bridge (test/fixtures/generated/generated-tor.pcap: the server name alone). Expectations:
// tshark 4.0's server names, ALPN and certificate names (ndpi-tor.tshark.tsv, tor/tshark.tsv) and
// nDPI's labels (ndpi-tor.pcap.out), not wardline's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { ndpiFlows } from '../testutil/peers.js';
import { assessCaptures } from './testutil.js';
import { torClientHello, torLinkCertificate } from '../knowledge/remote-access.js';
import { Monitor } from '../monitor/monitor.js';

const NDPI = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');

function tsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

test("the 2013 client's handshakes: every server name and certificate pair tshark shows is Tor's, seven relays where nDPI names three", () => {
  const rows = tsv(join(NDPI, 'ndpi-tor.tshark.tsv'));
  const hellos = rows.filter((r) => r[4] !== '');
  const certs = rows.filter((r) => r[6] !== '' || r[7] !== '');
  assert.equal(hellos.length, 7);
  for (const h of hellos) assert.ok(torClientHello(h[4], h[5] === '' ? [] : h[5].split('|')), h[4]);
  assert.equal(certs.length, 7);
  for (const c of certs) {
    // tshark lists the issuer's name, then the subject's.
    const [issuer, subject] = (c[6] || c[7]).split('|');
    assert.ok(torLinkCertificate(`CN=${subject}`, `CN=${issuer}`), `${issuer} → ${subject}`);
  }
  const ndpi = ndpiFlows(join(NDPI, 'ndpi-tor.pcap.out'));
  assert.equal(ndpi.filter((f) => f.app === 'TLS.Tor').length, 3);
});

test('remote-access "Anonymizing network in use: Tor" on the client (high), evidence its first ClientHello; none on the relays', async () => {
  const pcap = join(NDPI, 'ndpi-tor.pcap');
  const a = await assessCaptures([pcap]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'remote-access');
    assert.equal(f.length, 1);
    assert.equal(f[0].device, 'ip:192.168.1.252');
    assert.deepEqual([f[0].title, f[0].severity], ['Anonymizing network in use: Tor', 'high']);
    const first = tsv(join(NDPI, 'ndpi-tor.tshark.tsv')).find((r) => r[4] !== '')!;
    assert.deepEqual([f[0].evidence[0].packet, f[0].evidence[0].source], [Number(first[0]), 'ssl.server_name']);
    assert.match(f[0].detail, new RegExp(`naming the random host ${first[4].replace(/\./g, '\\.')}, without ALPN`));
  } finally {
    a.run.cleanup();
  }
  const m = new Monitor({ fileName: () => pcap });
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const alerts = m.finish().filter((x) => x.rule === 'remote-access');
  assert.deepEqual(alerts.map((x) => [x.device, x.severity]), [['ip:192.168.1.252', 'high']]);
  assert.match(alerts[0].why, /uses Tor/);
});

test("Tor 0.4.9 over TLS 1.3: the server name alone (tshark: no ALPN) makes the finding", async () => {
  const hello = tsv(join(GEN, 'tor', 'tshark.tsv')).find((r) => r[3] === '1')!;
  assert.equal(hello[5], '', 'no ALPN');
  const a = await assessCaptures([join(GEN, 'generated-tor.pcap')]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'remote-access');
    assert.deepEqual(f.map((x) => [x.device, x.title]), [['ip:10.97.9.10', 'Anonymizing network in use: Tor']]);
    assert.match(f[0].detail, new RegExp(hello[4].replace(/\./g, '\\.')));
  } finally {
    a.run.cleanup();
  }
});

test('names that are not Tor: registered names, browsers (ALPN), certificates of ordinary servers (names from nDPI\'s captures; the last two synthetic)', () => {
  for (const n of ['www.google.com', 'www.amazon.com', 'www.dota2.com', 'www.freearabianporn.com', 'www.googletagmanager.com', 'www.4chan.com']) assert.equal(torClientHello(n, []), false, n);
  assert.equal(torClientHello('www.q4cyamnc6mtokjurvdclt.com', ['h2', 'http/1.1']), false, 'a browser sends ALPN');
  assert.equal(torClientHello('mail.q4cyamnc6mtokjurvdclt.com', []), false);
  assert.equal(torLinkCertificate('CN=www.example.net', 'CN=www.example.com'), false);
  assert.equal(torLinkCertificate('CN=www.fcsyvnlemwxv5p.net, O=Acme', 'CN=www.gg562izcxdvqdk.com'), false);
});
