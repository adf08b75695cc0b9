// Oracle Net (TNS) on real captures: Arkime's oracle.pcap (its .test names oracle.host,
// oracle.service and oracle.user) and a sqlplus session from nDPI's captures
// (test/fixtures/ndpi/ndpi-oracle.pcap, which ndpiReader labels Oracle; the values quoted are
// tshark 4.0's TNS decode: CONNECT, RESEND, CONNECT again, ACCEPT). The REFUSE case is
// synthetic (no capture holds one) and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { arkimeSessions, ndpiFlows } from '../../testutil/peers.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { OracleAnalyzer } from './analyzer.js';
import { descriptorFields, parseConnect, vsnText } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const NDPI = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-oracle.pcap');

test("oracle.log has the host, service and user Arkime's session of oracle.pcap names", { skip }, async () => {
  const [s] = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'oracle.test'));
  const want = s.oracle as { host: string; service: string; user: string };
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'oracle.pcap')]);
  try {
    const [l] = run.log('oracle');
    assert.deepEqual([l.server_host, l.service_name, l.user], [want.host, want.service, want.user]);
    // JDBC thin fills the CID with placeholders (HOST=__jdbc__, PROGRAM=null): logged as sent.
    assert.equal(l.client_host, '__jdbc__');
    assert.deepEqual(run.conns.map((c) => c.service), ['oracle']);
  } finally {
    run.cleanup();
  }
});

test("a sqlplus session: the descriptor's SID and CID, the RESEND and the ACCEPT (tshark), the client's host name in the inventory", async () => {
  const [f] = ndpiFlows(join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-oracle.pcap.out'));
  assert.equal(f.app, 'Oracle');
  const run = await runCaptures([NDPI]);
  try {
    const log = run.log('oracle');
    assert.equal(log.length, 1);
    // tshark: tns.version 315, connect data "(DESCRIPTION=(CONNECT_DATA=(SID=igor)(CID=(PROGRAM=sqlplus@kali)
    // (HOST=kali)(USER=root)))(ADDRESS=(PROTOCOL=TCP)(HOST=10.0.72.139)(PORT=1521)))"; packet 6 RESEND, 10 ACCEPT.
    const l = log[0];
    assert.deepEqual(
      [l.version, l.sid, l.program, l.client_host, l.user, l.server_host, l.server_port, l.result],
      [315, 'igor', 'sqlplus@kali', 'kali', 'root', '10.0.72.139', 1521, 'accepted'],
    );
    assert.deepEqual(run.conns.map((c) => c.service), ['oracle']);
    // tshark: frames 11 and 13 are "Secure Network Services (0xdeadbeef)", 4 services. The client
    // offers encryption ids 11 06 10 0c 0f 0a 0b 08 02 01 03 (AES256 … DES40) and integrity ids
    // 03 01 04 05 06; the server's encryption and integrity services answer with a one-byte
    // choice 0x00: no Native Network Encryption, no checksum.
    assert.deepEqual([l.encryption, l.integrity], ['none', 'none']);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
  const { devices } = await runInventory([NDPI]);
  const client = deviceWithIp(devices, '10.0.2.15')!;
  assert.ok(client.hostnames.includes('kali'));
  assert.ok(client.evidence.some((e) => e.source === 'oracle.client_host' && e.packet === 4));
  const server = deviceWithIp(devices, '10.0.72.139')!;
  assert.equal(server.category, 'server');
  assert.ok(server.evidence.some((e) => e.fact === 'role' && e.value === 'oracle-db-server'));
});

test('a REFUSE names the error and the listener version (synthetic: VSNNUM 186647552 is 11.2.0.4.0)', () => {
  assert.equal(vsnText(186647552), '11.2.0.4.0');
  const d = '(DESCRIPTION=(TMP=)(VSNNUM=186647552)(ERR=12505)(ERROR_STACK=(ERROR=(CODE=12505)(EMFI=4))))';
  const f = descriptorFields(d);
  assert.deepEqual([f.error, f.server_version], [12505, '11.2.0.4.0']);
  const head = (type: number, body: number[]) => {
    const len = 8 + body.length;
    return Uint8Array.from([len >> 8, len & 0xff, 0, 0, type, 0, 0, 0, ...body]);
  };
  const text = [...Buffer.from(d, 'latin1')];
  const refuse = head(4, [1, 0, text.length >> 8, text.length & 0xff, ...text]);
  const connectDesc = [...Buffer.from('(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=EPICPRD))(ADDRESS=(PROTOCOL=TCP)(HOST=db1)(PORT=1521)))', 'latin1')];
  const fixed = [0x01, 0x3a, 0x01, 0x2c, 0, 0, 0x20, 0, 0x7f, 0xff, 0x7f, 0x08, 0, 0, 0, 1, connectDesc.length >> 8, connectDesc.length & 0xff, 0, 34, 0, 0, 0, 0, 0x41, 0x41];
  const connect = head(1, [...fixed, ...connectDesc]);
  assert.equal(parseConnect(connect, 0, connect.length)?.descriptor?.includes('EPICPRD'), true);
  const out = feedAnalyzer(new OracleAnalyzer(), [{ isOrig: true, bytes: connect }, { isOrig: false, bytes: refuse }], 6);
  const ev = out.events.find((e) => e.type === 'oracle.session')!;
  assert.deepEqual([ev.service_name, ev.result, ev.error, ev.server_version], ['EPICPRD', 'refused', 12505, '11.2.0.4.0']);
});

test('probe() takes a CONNECT with a descriptor, on any port, from the client only', async () => {
  const flows = await flowBytes(NDPI);
  const b = flows[0].chunks.find((c) => c.isOrig && c.bytes.length > 34)!.bytes;
  assert.equal(probe(b, 0, b.length, true, 6), PROBE_YES);
  assert.equal(probe(b, 0, b.length, false, 6), PROBE_NO);
  assert.equal(probe(b, 0, b.length, true, 17), PROBE_NO);
  const http = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true, 6), PROBE_NO);
});

test('the parser and the analyzer survive truncation and mutation of the real session', async () => {
  const flows = await flowBytes(NDPI);
  const chunks = flows[0].chunks;
  fuzzParser(chunks.slice(0, 6).map((c) => c.bytes), (b) => {
    probe(b, 0, b.length, true, 6);
    const c = parseConnect(b, 0, b.length);
    if (c?.descriptor) descriptorFields(c.descriptor);
  });
  fuzzParser([chunks[0].bytes], (b) => {
    feedAnalyzer(new OracleAnalyzer(), [{ isOrig: true, bytes: b }, ...chunks.slice(1, 8)], 6);
  }, { mutations: 200 });
});
