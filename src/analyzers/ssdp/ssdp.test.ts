// SSDP against real captures: suricata-verify's sip-ssdp-pm (a NOTIFY flow to
// 239.255.255.250:1900 that must not be taken for SIP), nDPI's ssdp-m-search.pcap (SSDP on
// port 32412), and the M-SEARCHes inside suricata-verify's smb2-ntlmssp-negotiateflags capture;
// header values as Wireshark's SSDP dissector shows them; probe and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { parseSsdp } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

// Datagrams as in suricata-verify/tests/sip-ssdp-pm/ssdp.pcap and smb2-ntlmssp-negotiateflags/input.pcap.
const NOTIFY = enc(
  'NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=120\r\nlOCATION: http://192.168.1.1:7406/rootDesc.xml\r\nSERVER: UPnP/Tomato 1.28.7500 MIPSR2Toastman-RT K26 USB Ext UPnP/1.0 MiniUPnPd/1.6\r\nNT: upnp:rootdevice\r\nUSN: uuid:04645c3d-e6b4-4eea-bd35-5c320c12969f::upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n',
);
const M_SEARCH = enc('M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nMan: "ssdp:discover"\r\nMX: 3\r\n\r\n');
// Synthetic: a search answer (no capture in the corpus has one).
const ANSWER = enc('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:abc::upnp:rootdevice\r\nSERVER: Linux/3.14 UPnP/1.0 IpBridge/1.26.0\r\nLOCATION: http://10.0.0.7:80/description.xml\r\n\r\n');

test('parseSsdp() reads a NOTIFY with case-insensitive headers', () => {
  const r = parseSsdp(NOTIFY, 0, NOTIFY.length);
  assert.ok(r !== 'bad');
  assert.equal(r.method, 'NOTIFY');
  assert.equal(r.location, 'http://192.168.1.1:7406/rootDesc.xml');
  assert.equal(r.nt, 'upnp:rootdevice');
  assert.equal(r.nts, 'ssdp:alive');
});

test('parseSsdp() reads a search answer and refuses a plain HTTP response', () => {
  const r = parseSsdp(ANSWER, 0, ANSWER.length);
  assert.ok(r !== 'bad');
  assert.equal(r.method, 'RESPONSE');
  assert.equal(r.status_code, 200);
  assert.equal(r.st, 'upnp:rootdevice');
  const plain = enc('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  assert.equal(parseSsdp(plain, 0, plain.length), 'bad');
});

test('probe() recognises SSDP start lines on UDP only', () => {
  assert.equal(probe(M_SEARCH, 0, M_SEARCH.length, true, 17), PROBE_YES);
  assert.equal(probe(ANSWER, 0, ANSWER.length, false, 17), PROBE_YES);
  assert.equal(probe(M_SEARCH, 0, M_SEARCH.length, true, 6), PROBE_NO);
  const sip = enc('INVITE sip:bob@example.com SIP/2.0\r\n\r\n');
  assert.equal(probe(sip, 0, sip.length, true, 17), PROBE_NO);
});

test('parseSsdp() survives truncation and mutation of real datagrams', () => {
  fuzzParser([NOTIFY, M_SEARCH, ANSWER], (b) => {
    parseSsdp(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
  }, { mutations: 200 });
});

test("the NOTIFY of suricata-verify's sip-ssdp-pm is SSDP, with its server as software", { skip }, async () => {
  // suricata-verify expects exactly one flow to 239.255.255.250:1900 and no SIP; the header
  // values are those `tshark -r ssdp.pcap -V` shows.
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'sip-ssdp-pm', 'ssdp.pcap')]);
  try {
    const flows = run.conns.filter((c) => respAddr(c) === '239.255.255.250' && c.rPort === 1900);
    assert.equal(flows.length, 1);
    assert.equal(flows[0].service, 'ssdp');
    const [l] = run.log('ssdp');
    assert.equal(l.method, 'NOTIFY');
    assert.equal(l.server, 'UPnP/Tomato 1.28.7500 MIPSR2Toastman-RT K26 USB Ext UPnP/1.0 MiniUPnPd/1.6');
    assert.equal(l.usn, 'uuid:04645c3d-e6b4-4eea-bd35-5c320c12969f::upnp:rootdevice');
    assert.equal(l.location, 'http://192.168.1.1:7406/rootDesc.xml');
    assert.equal(l.nt, 'upnp:rootdevice');
    const sw = run.log('software');
    assert.equal(sw.length, 1);
    assert.equal(sw[0].host, '192.168.1.1');
    assert.equal(sw[0].software_type, 'SSDP::SERVER');
  } finally {
    run.cleanup();
  }
});

test("conn.log names nDPI's SSDP flow to port 32412 (found by the probe, not the port)", { skip }, async () => {
  const out = readFileSync(corpus('ndpi', 'result', 'ssdp-m-search.pcap.out'), 'utf8');
  const flows = [...out.matchAll(/UDP ([\d.]+):(\d+) <?-> ([\d.]+):(\d+) \[proto: [\d.]+\/SSDP\]/g)];
  assert.equal(flows.length, 1);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'ssdp-m-search.pcap')]);
  try {
    const f = flows[0];
    const c = run.conns.find((x) => origAddr(x) === f[1] && x.oPort === Number(f[2]) && respAddr(x) === f[3] && x.rPort === Number(f[4]));
    assert.equal(c?.service, 'ssdp');
    // nDPI counts 19 packets in the flow: every one is an M-SEARCH.
    assert.equal(run.log('ssdp').filter((l) => l.method === 'M-SEARCH').length, 19);
  } finally {
    run.cleanup();
  }
});

test('the M-SEARCHes inside a larger capture are all logged (8, as Wireshark counts them)', { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap')]);
  try {
    const lines = run.log('ssdp');
    assert.equal(lines.length, 8);
    assert.ok(lines.every((l) => l.method === 'M-SEARCH' && l.st === 'urn:schemas-upnp-org:device:InternetGatewayDevice:1' && l.mx === '3'));
    assert.ok(run.conns.filter((c) => c.rPort === 1900).every((c) => c.service === 'ssdp'));
  } finally {
    run.cleanup();
  }
});
