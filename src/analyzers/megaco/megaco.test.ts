// Megaco/H.248 text encoding against nDPI's FAX-Call-t38-CA-TDM-SIP-FB-1.pcap (an Italtel
// softswitch controlling a Cisco TDM gateway for a T.38 fax call; nDPI: Megaco), expectations
// from tshark 4.0's MEGACO dissector (commands, transaction ids, errors, the SDP of the Add reply),
// and RFC 3525's example of a gateway registering (synthetic: no capture has a ServiceChange).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { payloads } from '../../testutil/payloads.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap } from '../../testutil/pcapwriter.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { parseMegaco } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const FAX = corpus('ndpi', 'pcap', 'FAX-Call-t38-CA-TDM-SIP-FB-1.pcap');

test('megaco.log of the fax call: every transaction and command as tshark decodes them', { skip }, async () => {
  const run = await runCaptures([FAX]);
  try {
    const log = run.log('megaco');
    // tshark -Y megaco: 130 messages of one transaction each; megaco.command counts Add 4,
    // AuditValue 106, Modify 16, Notify 4, Subtract 4; megaco.error in 26 messages.
    assert.equal(log.length, 130);
    const counts: Record<string, number> = {};
    for (const l of log) for (const c of (l.commands as string[]) ?? []) counts[c.split(' ')[0]] = (counts[c.split(' ')[0]] ?? 0) + 1;
    assert.deepEqual(counts, { AuditValue: 106, Add: 4, Modify: 16, Notify: 4, Subtract: 4 });
    assert.equal(log.filter((l) => l.errors !== undefined).length, 26);
    assert.deepEqual([log[0].mid, log[0].kind, log[0].transaction_id, log[0].contexts, log[0].commands], ['<iMSS>', 'request', '555282713', ['-'], ['AuditValue DS/1/5']]);
    const err = log.find((l) => l.transaction_id === '555282714' && l.kind === 'reply')!;
    assert.deepEqual([err.mid, err.errors], ['[10.23.1.42]:2944', ['435 TerminationId_id_is_not_in_specified_Context']]);
    // Frame 22: Reply 555282723, context 191, Add ds/4/24 and RTP/1727, SDP m= lines and c=.
    const add = log.find((l) => l.transaction_id === '555282723' && l.kind === 'reply')!;
    assert.deepEqual([add.contexts, add.commands, add.media, add.media_addresses], [['191'], ['Add ds/4/24', 'Add RTP/1727'], ['audio 16756 RTP/AVP 8 103 102', 'image 0 UDPTL t38'], ['10.23.1.52']]);
    // Frames 174 and 1389: the gateway's Notify requests 3989 and 3990 with ObservedEvents ctyp/dtone (the fax tones ANS and V21FLAG).
    const notes = log.filter((l) => l.kind === 'request' && (l.commands as string[]).some((c) => c.startsWith('Notify')));
    const sender = (n: Record<string, unknown>): unknown => (n.is_orig === true ? n['id.orig_h'] : n['id.resp_h']);
    assert.deepEqual(notes.map((n) => [n.transaction_id, sender(n), n.observed_events]), [['3989', '10.23.1.42', ['ctyp/dtone']], ['3990', '10.23.1.42', ['ctyp/dtone']]]);
    assert.deepEqual(run.log('conn').filter((c) => c['id.resp_p'] === 2944).map((c) => c.service), ['megaco']);
    assert.equal(run.log('weird').filter((w) => String(w.name).startsWith('megaco')).length, 0);
  } finally {
    run.cleanup();
  }
});

test('the gateway and its controller in the inventory', { skip }, async () => {
  const { devices } = await runInventory([FAX]);
  assert.equal(deviceWithIp(devices, '10.23.1.42')?.category, 'network', 'the gateway the Add/Modify/Audit requests act on');
  assert.equal(deviceWithIp(devices, '10.35.40.22')?.category, 'server', 'the softswitch that sends them');
});

// RFC 3525 Appendix A.1.1: a residential gateway registers with its controller (synthetic).
const REGISTER = `MEGACO/1 [124.124.124.222]:55555
Transaction = 9998 {
    Context = - {
        ServiceChange = ROOT {Services {
            Method=Restart,
            ServiceChangeAddress=55555, Profile=ResGW/1}
        }
    }
}`;

test("a ServiceChange registration (RFC 3525's example): method, address, profile", async () => {
  const path = writeUdpPcap([{ ts: 1000, src: '124.124.124.222', sport: 55555, dst: '123.123.123.4', dport: 55555, payload: new TextEncoder().encode(REGISTER) }]);
  const run = await runCaptures([path]);
  try {
    const [l] = run.log('megaco');
    assert.deepEqual(
      [l.mid, l.kind, l.transaction_id, l.contexts, l.commands, l.service_change_method, l.service_change_address, l.service_change_profile],
      ['[124.124.124.222]:55555', 'request', '9998', ['-'], ['ServiceChange ROOT'], 'Restart', '55555', 'ResGW/1'],
    );
    assert.equal(run.conns[0].service, 'megaco', 'found off 2944 by its header');
  } finally {
    run.cleanup();
  }
});

test('probe() takes the text header; the parser survives the real messages mutated', { skip }, async () => {
  const msgs = (await payloads(FAX, { port: 2944 })).map((p) => p.bytes);
  assert.ok(msgs.length >= 130);
  for (const m of msgs.slice(0, 10)) assert.equal(probe(m, 0, m.length, true, 17), PROBE_YES);
  const short = new TextEncoder().encode('!/1 <x>');
  assert.equal(probe(short, 0, short.length, true, 17), PROBE_YES);
  assert.equal(probe(msgs[0], 0, msgs[0].length, true, 6), PROBE_NO);
  const sip = new TextEncoder().encode('INVITE sip:a@b SIP/2.0\r\n');
  assert.equal(probe(sip, 0, sip.length, true, 17), PROBE_NO);
  const megacoNoVersion = new TextEncoder().encode('MEGACO/x <a>');
  assert.equal(probe(megacoNoVersion, 0, megacoNoVersion.length, true, 17), PROBE_NO);
  fuzzParser(msgs.slice(0, 30), (b) => parseMegaco(b, 0, b.length));
});
