// Encapsulations a sensor receives from a mirror session or an overlay network, on Scapy-written
// frames (fixtures/README.md says why: no corpus capture has ERSPAN I/III, VXLAN or Geneve).
// The expectations are tshark's conversation tables of the file and the Host of each request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { origAddr } from '../flow/connlog.js';
import { formatMac } from './packet.js';

const PCAP = join(REPO_ROOT, 'src', 'decode', 'fixtures', 'generated-tunnels.pcap');

test('ERSPAN I/II/III, VXLAN and Geneve: each inner conversation as tshark counts it, analysed', async () => {
  const run = await runCaptures([PCAP]);
  try {
    // tshark -q -z conv,tcp: frames and bytes per inner conversation, n = 1…6.
    const bytes = [770, 854, 882, 947, 852, 853];
    const hosts = ['erspan1.example', 'erspan2.example', 'erspan3.example', 'erspan3-platform.example', 'vxlan.example', 'geneve.example'];
    // tshark -q -z conv,udp: the VXLAN and Geneve carriers are conversations of their own (Zeek's
    // conn.log has them too), 7 frames each.
    // Named after their tunnel, as Zeek's conn.log names them.
    const udp = run.conns.filter((c) => c.proto === 17).map((c) => [c.rPort, c.origPkts + c.respPkts, c.origFrameBytes + c.respFrameBytes, c.service]);
    assert.deepEqual(udp, [[4789, 7, 852, 'vxlan'], [6081, 7, 853, 'geneve']]);
    assert.equal(run.conns.filter((c) => c.proto === 6).length, 6);
    for (let n = 1; n <= 6; n++) {
      const c = run.conns.find((x) => origAddr(x) === `10.40.${n}.10`);
      assert.ok(c, `inner conversation ${n}`);
      assert.equal(c.oPort, 40000 + n);
      assert.equal(c.origPkts + c.respPkts, 7);
      assert.equal(c.origFrameBytes + c.respFrameBytes, bytes[n - 1], `bytes of ${n}`);
      assert.equal(c.service, 'http');
      // The inner Ethernet addresses are the devices', not the sensor link's.
      assert.equal(formatMac(c.origMac), `00:09:fb:00:00:0${n}`);
      const h = run.log('http').find((l) => l.uid === c.uid);
      assert.equal(h?.host, hosts[n - 1]);
    }
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('a truncated ERSPAN III header is a weird, not a misread frame', async () => {
  const data = new Uint8Array(readFileSync(PCAP));
  // Frame 15 (the first type III frame) cut 6 bytes into its 12-byte ERSPAN header: walk the
  // pcap records (24-byte file header, 16-byte record headers) and shorten its captured length.
  let p = 24;
  for (let i = 1; i < 15; i++) p += 16 + new DataView(data.buffer, p + 8, 4).getUint32(0, true);
  const cut = 14 + 20 + 8 + 6; // outer Ethernet, IPv4, GRE with sequence number, 6 bytes
  const out = data.slice(0, p + 16 + cut);
  new DataView(out.buffer, p + 8, 4).setUint32(0, cut, true);
  const dir = mkdtempSync(join(tmpdir(), 'wardline-erspan-'));
  const file = join(dir, 'cut.pcap');
  writeFileSync(file, out);
  const run = await runCaptures([file]);
  try {
    assert.ok(run.log('weird').some((w) => w.name === 'erspan.truncated'));
    assert.equal(run.conns.filter((c) => origAddr(c) === '10.40.3.10').length, 0);
  } finally {
    run.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
