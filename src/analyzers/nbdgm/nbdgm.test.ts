// NetBIOS datagram service against real captures: nDPI names the announcing host of each
// browser datagram flow (Hostname/SNI), Arkime marks the 138 session as `nbds`, tshark decodes
// the announcements' OS version; and the parser under fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr } from '../../flow/connlog.js';
import { parseNbDatagram } from './parse.js';
import { probe } from './probe.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import type { NetbiosDatagramEvent } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const UDP = 17;

test("host announcements name the hosts nDPI names for the 138 flows of netbios.pcap", { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi', 'result', 'netbios.pcap.out')).filter((f) => f.aPort === 138 && f.hostname !== undefined);
  assert.equal(flows.length, 2);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'netbios.pcap')]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is NetbiosDatagramEvent => e.type === 'netbios.datagram');
    for (const f of flows) {
      const ev = evs.find((e) => e.host === f.a && e.browser_opcode === 'HostAnnouncement');
      assert.ok(ev, f.a);
      // nDPI lower-cases the name; the announcement carries it upper-case.
      assert.equal(ev.server_name?.toLowerCase(), f.hostname);
      assert.equal(ev.source_name?.toLowerCase(), f.hostname);
      // tshark: "Windows version: Windows 7 or Windows Server 2008 R2" (6.1).
      assert.deepEqual([ev.os_major, ev.os_minor], [6, 1]);
      const c = run.conns.find((k) => origAddr(k) === f.a && k.oPort === 138);
      assert.equal(c?.service, 'netbios-dgm');
    }
  } finally {
    run.cleanup();
  }
});

test("the datagram session Arkime calls nbds carries MDJR98's announcements (nbns.pcap)", { skip }, async () => {
  const s = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'nbns.test')).find((b) => (b.protocol as string[]).includes('nbds'));
  assert.ok(s);
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'nbns.pcap')]);
  try {
    const src = (s.source as { ip: string; packets: number }).ip;
    const c = run.conns.find((k) => origAddr(k) === src && k.oPort === 138);
    assert.equal(c?.service, 'netbios-dgm');
    assert.equal(c?.origPkts, (s.source as { packets: number }).packets);
    const evs = run.result.events.filter((k) => k.uid === c?.uid).map((k) => k.ev as NetbiosDatagramEvent);
    assert.equal(evs.length, c?.origPkts);
    // tshark: "Domain/Workgroup Announcement WORKGROUP … " with the master browser MDJR98 as comment.
    const dom = evs.find((e) => e.browser_opcode === 'DomainAnnouncement');
    assert.equal(dom?.server_name, 'WORKGROUP');
    assert.equal(dom?.comment, 'MDJR98');
    assert.ok(evs.some((e) => e.browser_opcode === 'HostAnnouncement' && e.server_name === 'MDJR98'));
  } finally {
    run.cleanup();
  }
});

test('probe() accepts NetBIOS datagrams and refuses NBNS and DNS', { skip }, async () => {
  const all = await payloads(corpus('arkime', 'tests', 'pcap', 'nbns.pcap'), { proto: UDP });
  for (const p of all) {
    const want = p.dstPort === 138 ? PROBE_YES : PROBE_NO;
    assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), want, `packet ${p.packet}`);
  }
});

test('parseNbDatagram() survives truncation and mutation of real datagrams', { skip }, async () => {
  const seeds = [
    ...(await payloads(corpus('arkime', 'tests', 'pcap', 'nbns.pcap'), { port: 138 })).slice(0, 3),
    ...(await payloads(corpus('ndpi', 'pcap', 'netbios.pcap'), { port: 138 })),
  ].map((p) => p.bytes);
  assert.ok(seeds.length >= 4);
  fuzzParser(seeds, (b) => {
    parseNbDatagram(b, 0, b.length);
  }, { mutations: 200 });
});
