// IEEE 802.11 captures: the decoder's monitor headers (radiotap, PPI, Prism, bare 802.11), data
// frames down to IP, and the management-frame analyzer. Synthetic: the shared corpus holds no
// 802.11 capture, so fixtures/ was written by Scapy, an independent 802.11 encoder
// (fixtures/README.md). Expected values are Wireshark's decode of those files:
//   tshark -r generated-wlan-radiotap.pcap -T fields -e frame.number -e wlan.fc.type_subtype
//     -e wlan.ta -e wlan.sa -e wlan.ssid -e wlan.ds.current_channel -e wlan.rsn.akms.type
//     -e wlan.rsn.pcs.type -e wlan.fixed.capabilities.privacy -e wps.manufacturer
//     -e wps.model_name -e wps.model_number -e wps.device_name
//     -e wps.primary_device_type.category -e dhcp.option.hostname
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Analysis } from '../../engine/analyze.js';
import { runInventory, testKb } from '../../inventory/testutil.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { wifiWeakness } from '../../assess/rules/weak-wifi.js';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser, mutate, rng } from '../../testutil/fuzz.js';
import { parseWlanMgmt } from './parse.js';

const FIX = join(REPO_ROOT, 'src', 'analyzers', 'wlan', 'fixtures');
const RADIOTAP = join(FIX, 'generated-wlan-radiotap.pcap');
const OTHERS = ['ppi', 'prism', 'bare'].map((k) => join(FIX, `generated-wlan-${k}.pcap`));

const AP = '88:15:44:10:20:30';
const PUMP = '58:46:e1:00:42:42';
const PRINTER = '9c:7b:ef:12:34:56';

/** The records of a classic pcap file: [link type, packet bytes][]. */
function records(path: string): { linkType: number; frames: Uint8Array[] } {
  const b = readFileSync(path);
  const frames: Uint8Array[] = [];
  for (let p = 24; p + 16 <= b.length; ) {
    const n = b.readUInt32LE(p + 8);
    frames.push(Uint8Array.from(b.subarray(p + 16, p + 16 + n)));
    p += 16 + n;
  }
  return { linkType: b.readUInt32LE(20), frames };
}

/** The 802.11 frame inside a radiotap record (its length is bytes 2-3), FCS left on. */
function dot11(rec: Uint8Array): Uint8Array {
  return rec.subarray(rec[2] | (rec[3] << 8));
}

test('parseWlanMgmt() reads what Wireshark reads in beacons, probes and association requests', () => {
  const { frames } = records(RADIOTAP);
  const at = (n: number) => {
    const f = dot11(frames[n - 1]);
    const r = parseWlanMgmt(f, 0, f.length - 4);
    assert.ok(r !== null && r !== 'truncated', String(n));
    return r;
  };
  // Frame 1: beacon (0x0008) from 88:15:44:10:20:30, SSID 434c494e4943414c2d574c414e, channel
  // 36, AKM type 1 (802.1X), pairwise cipher 4 (CCMP), privacy 1.
  const b = at(1);
  assert.deepEqual([b.kind, b.transmitter, b.bssid, b.ssid, b.channel], ['beacon', AP, AP, 'CLINICAL-WLAN', 36]);
  assert.deepEqual([b.akm_suites, b.pairwise_ciphers, b.security], [['802.1X'], ['CCMP-128'], 'WPA2']);
  // Frame 4: privacy 1, no RSN element: WEP. Frame 5: privacy 0: open.
  assert.deepEqual([at(4).ssid, at(4).channel, at(4).security], ['BIOMED-LEGACY', 6, 'WEP']);
  assert.deepEqual([at(5).ssid, at(5).security], ['GUEST', 'open']);
  // Frame 6: SSID 0000000000000000 (hidden), AKM type 8 (SAE).
  assert.deepEqual([at(6).ssid, at(6).ssid_hidden, at(6).akm_suites, at(6).security], [undefined, true, ['SAE'], 'WPA3']);
  // Frame 7: PUMPS-OLD, channel 11, privacy 1, the WPA vendor element (00:50:f2 type 1).
  assert.deepEqual([at(7).ssid, at(7).channel, at(7).security], ['PUMPS-OLD', 11, 'WPA']);
  // Frame 8: probe request (0x0004) from 58:46:e1:00:42:42; no security for a probe.
  assert.deepEqual([at(8).kind, at(8).transmitter, at(8).ssid, at(8).security], ['probe_request', PUMP, 'CLINICAL-WLAN', undefined]);
  // Frame 9: association request (0x0000) to the AP, AKM type 2 (PSK).
  assert.deepEqual([at(9).kind, at(9).receiver, at(9).ssid, at(9).akm_suites, at(9).security], ['assoc_request', AP, 'CLINICAL-WLAN', ['PSK'], 'WPA2']);
  // Frame 10: WPS manufacturer HP, model OfficeJet Pro 9010, number 3UK83A, device name
  // "HP OfficeJet Pro 9010 series", primary device type category 0x0003 (printer).
  const w = at(10);
  assert.deepEqual(
    [w.transmitter, w.wps_manufacturer, w.wps_model_name, w.wps_model_number, w.wps_device_name, w.wps_device_type, w.wps_serial_number],
    [PRINTER, 'HP', 'OfficeJet Pro 9010', '3UK83A', 'HP OfficeJet Pro 9010 series', 'Printer', 'CN0TEST0001'],
  );
  for (const n of [1, 4, 5, 6, 7, 8, 9, 10, 11]) assert.deepEqual(at(n).problems, [], String(n));
});

test('radiotap capture: one wlan.log line per distinct announcement, data frames down to DHCP and TCP', async () => {
  const run = await runCaptures([RADIOTAP]);
  try {
    const wlan = run.log('wlan');
    // Frames 1-3 are the same beacon; frame 18 failed its FCS; 12-17 are data and control.
    assert.deepEqual(
      wlan.map((r) => r.packet),
      [1, 4, 5, 6, 7, 8, 9, 10, 11, 19, 20],
    );
    assert.deepEqual(wlan[0], {
      ts: 1767225600,
      kind: 'beacon',
      receiver: 'ff:ff:ff:ff:ff:ff',
      transmitter: AP,
      bssid: AP,
      ssid: 'CLINICAL-WLAN',
      channel: 36,
      security: 'WPA2',
      pairwise_ciphers: ['CCMP-128'],
      akm_suites: ['802.1X'],
      packet: 1,
    });
    // Frame 12: QoS data to the DS, LLC/SNAP, IPv4, UDP 68 → 67, DHCP hostname PUMP-0042; wlan.sa
    // is the pump. Frame 14: from the DS, wlan.sa 58:46:e1:00:42:42 (A3), TCP SYN to port 2575.
    const dhcp = run.log('dhcp');
    assert.deepEqual([dhcp.length, dhcp[0].host_name, dhcp[0].mac], [1, 'PUMP-0042', PUMP]);
    // Frame 21: four addresses, wlan.sa 00:0b:86:aa:bb:77 (A4), UDP 514 from 10.20.30.77.
    // Frame 22: A-MSDU, the subframe's ARP from 10.20.30.42 (wlan.sa 58:46:e1:00:42:42).
    // Frame 23: radiotap "data pad", TCP SYN 10.20.30.42 → 10.20.1.5:2575.
    const conns = run.log('conn');
    assert.deepEqual(
      conns.map((c) => [c['id.orig_h'], c['id.resp_p'], c.orig_l2_addr]),
      [
        ['0.0.0.0', 67, PUMP],
        ['10.20.30.42', 2575, PUMP],
        ['10.20.30.77', 514, '00:0b:86:aa:bb:77'],
        ['10.20.30.42', 2575, PUMP],
      ],
    );
    assert.deepEqual(run.log('syslog').map((r) => r.message), ['nursecall: bed 12 call']);
    assert.deepEqual(
      run.log('arp').map((a) => [a.orig_h, a.mac_src, a.operation, a.packet]),
      [
        ['10.20.30.42', PUMP, 'request', 13],
        ['10.20.30.42', PUMP, 'reply', 22],
      ],
    );
    // Only the FCS failure is a weird: encrypted data, null data and an ACK are well formed.
    assert.deepEqual(run.log('weird').map((w) => [w.name, w.packet]), [['wlan.bad_fcs', 18]]);
    assert.deepEqual(run.result.inputs[0].link_types, ['ieee802_11_radiotap']);
  } finally {
    run.cleanup();
  }
});

test('PPI, Prism and bare 802.11 link types reach the same beacon', async () => {
  // tshark: ppi:wlan_radio:wlan 88:15:44:10:20:30 CLINICAL-WLAN 36 (AKM 1, privacy 1);
  // prism:wlan_radio:wlan 88:15:44:10:20:31 GUEST 36 (privacy 0); wlan 00:0b:86:aa:bb:01
  // BIOMED-LEGACY 6 (privacy 1).
  const want = [
    ['ppi', AP, 'CLINICAL-WLAN', 36, 'WPA2'],
    ['ieee802_11_prism', '88:15:44:10:20:31', 'GUEST', 36, 'open'],
    ['ieee802_11', '00:0b:86:aa:bb:01', 'BIOMED-LEGACY', 6, 'WEP'],
  ];
  for (const [i, f] of OTHERS.entries()) {
    const run = await runCaptures([f]);
    try {
      const [r] = run.log('wlan');
      assert.deepEqual([run.result.inputs[0].link_types[0], r.transmitter, r.ssid, r.channel, r.security], want[i], f);
      assert.deepEqual(run.log('weird'), [], f);
    } finally {
      run.cleanup();
    }
  }
});

test('inventory: access points, the printer\'s WPS identity, the pump on Wi-Fi; no device for a randomised probe', async () => {
  const { devices } = await runInventory([RADIOTAP]);
  const byMac = (m: string) => devices.find((d) => d.mac === m);
  for (const [mac, ssid, sec] of [
    [AP, 'CLINICAL-WLAN', 'WPA2'],
    ['00:0b:86:aa:bb:01', 'BIOMED-LEGACY', 'WEP'],
    ['88:15:44:10:20:31', 'GUEST', 'open'],
  ]) {
    const d = byMac(mac);
    assert.equal(d?.category, 'network', mac);
    assert.ok(d.evidence.some((e) => e.fact === 'role' && e.value === 'wifi-ap' && e.source === 'wlan.beacon'), mac);
    assert.ok(d.evidence.some((e) => e.fact === 'wifi_ssid' && e.value === ssid), mac);
    assert.ok(d.evidence.some((e) => e.fact === 'wifi_security' && e.value === sec), mac);
  }
  const printer = byMac(PRINTER);
  assert.deepEqual([printer?.category, printer?.vendor, printer?.model], ['printer', 'HP', 'OfficeJet Pro 9010']);
  const pump = byMac(PUMP);
  assert.equal(pump?.category, 'infusion_pump');
  assert.deepEqual(pump.ips, ['10.20.30.42']);
  assert.ok(pump.hostnames.includes('PUMP-0042'));
  assert.ok(pump.evidence.some((e) => e.fact === 'wifi_ssid' && e.value === 'CLINICAL-WLAN' && e.source === 'wlan.ssid' && e.packet === 9));
  assert.equal(byMac('2a:11:22:33:44:55'), undefined, 'randomised probe address');
  const pump2 = byMac('58:46:e1:00:42:43');
  assert.equal(pump2?.category, 'infusion_pump');
  assert.ok(pump2.evidence.some((e) => e.fact === 'role' && e.value === 'wifi-station' && e.packet === 19));
  assert.equal(byMac('ff:ff:ff:ff:ff:ff'), undefined);
});

test('weak-wifi: the WEP, WPA (TKIP) and open networks, on the access points that beacon them', async () => {
  const run = await runPipeline([RADIOTAP], { outDir: null, kb: testKb() }, INVENTORY);
  const weak = run.report.findings.filter((f) => f.rule === 'weak-wifi');
  assert.deepEqual(
    weak.map((f) => [f.device, f.severity, f.title, f.evidence[0].packet]).sort(),
    [
      ['mac:00:0b:86:aa:bb:01', 'high', 'Wi-Fi network "BIOMED-LEGACY" served with WEP', 4],
      ['mac:00:0b:86:aa:bb:02', 'high', 'Wi-Fi network "PUMPS-OLD" served with WPA (TKIP)', 7],
      // Frame 19: an infusion pump joining the open network: high, as it is a medical device.
      ['mac:58:46:e1:00:42:43', 'high', 'Joins Wi-Fi network "GUEST" protected by no encryption', 19],
      ['mac:60:3a:7c:de:ad:01', 'medium', 'Wi-Fi network "CLINICAL-WLAN" served with no encryption', 20],
      ['mac:88:15:44:10:20:31', 'medium', 'Wi-Fi network "GUEST" served with no encryption', 5],
    ],
  );
  // WPA2 with CCMP (the clinical network, and the pump joining it) and WPA3 are not weak.
  assert.ok(!weak.some((f) => f.device === `mac:${AP}` || f.device === `mac:${PUMP}` || f.device === 'mac:88:15:44:10:20:32'));
  const ap = run.report.devices.find((d) => d.id === 'mac:00:0b:86:aa:bb:01');
  assert.ok(ap?.risk.factors.some((x) => x.id === 'weak-wifi' && x.points > 0));
});

test('rogue-ap: the TP-Link access point announcing CLINICAL-WLAN open beside the WPA2 one (frames 20 and 1)', async () => {
  const run = await runPipeline([RADIOTAP], { outDir: null, kb: testKb() }, INVENTORY);
  const rogue = run.report.findings.filter((f) => f.rule === 'rogue-ap');
  assert.deepEqual(
    rogue.map((f) => [f.device, f.severity, f.title, f.evidence.map((e) => e.packet)]),
    [['mac:60:3a:7c:de:ad:01', 'high', 'Access point announces "CLINICAL-WLAN" with no encryption while others use WPA2', [1, 20]]],
  );
  assert.match(rogue[0].detail, /88:15:44:10:20:30/);
  // GUEST is announced by one access point only; the hidden WPA3 network has no name to compare.
  assert.equal(rogue.length, 1);
});

test('wifi-deauth: the forged deauthentication flood in the clinical AP\'s name (frames 24-63), not the one disassociation (64)', async () => {
  // tshark -Y 'wlan.fc.type_subtype==0x000c': 40 frames, wlan.ta 88:15:44:10:20:30, wlan.ra
  // 58:46:e1:00:42:42, reason code 0x0007; frame 64: 0x000a from 58:46:e1:00:42:43, reason 0x0008.
  const run = await runPipeline([RADIOTAP], { outDir: null, kb: testKb() }, INVENTORY);
  const flood = run.report.findings.filter((f) => f.rule === 'wifi-deauth');
  assert.equal(flood.length, 1);
  assert.deepEqual([flood[0].device, flood[0].severity], [`mac:${AP}`, 'high']);
  assert.match(flood[0].detail, /^40 deauthentication\/disassociation frames in 0\.4 s in the name of 88:15:44:10:20:30, to 1 station \(58:46:e1:00:42:42\)/);
  assert.equal(flood[0].evidence[0].packet, 24);
  assert.ok(flood[0].evidence.every((e) => e.source === 'wlan.deauth' && e.value === `${AP} → ${PUMP} reason 7`));
  assert.ok(!run.report.findings.some((f) => f.rule === 'wifi-deauth' && f.device === 'mac:58:46:e1:00:42:43'));
});

test('wifiWeakness(): TKIP-only RSN is weak, CCMP, OWE or WPA3 is not', () => {
  assert.equal(wifiWeakness({ security: 'WPA2', pairwise: ['TKIP'] })?.label, 'WPA2 with TKIP only');
  assert.equal(wifiWeakness({ security: 'WPA2', pairwise: ['TKIP', 'CCMP-128'] }), null);
  assert.equal(wifiWeakness({ security: 'OWE', pairwise: ['CCMP-128'] }), null);
  assert.equal(wifiWeakness({ security: 'WPA3', pairwise: ['CCMP-128'] }), null);
  assert.equal(wifiWeakness({ security: 'open', pairwise: [] })?.severity, 'medium');
});

test('parseWlanMgmt() survives truncation and mutation', () => {
  const seeds = records(RADIOTAP).frames.slice(0, 11).map(dot11);
  fuzzParser(seeds, (b) => {
    parseWlanMgmt(b, 0, b.length);
  });
});

test('802.11 records damaged at random never throw past the engine', async () => {
  // Each fixture file with its records' bytes (not the pcap headers) mutated.
  const r = rng(802_11);
  for (const f of [RADIOTAP, ...OTHERS]) {
    const whole = readFileSync(f);
    for (let i = 0; i < 150; i++) {
      const { frames, linkType } = records(f);
      const parts: Buffer[] = [Buffer.from(whole.subarray(0, 24))];
      for (const fr of frames) {
        const body = r() < 0.5 ? mutate(fr, r) : fr.subarray(0, Math.floor(r() * (fr.length + 1)));
        const h = Buffer.alloc(16);
        h.writeUInt32LE(1767225600, 0);
        h.writeUInt32LE(body.length, 8);
        h.writeUInt32LE(body.length, 12);
        parts.push(h, Buffer.from(body));
      }
      assert.ok(linkType > 0);
      const res = await new Analysis({ outDir: null }).runBuffer('fuzz', Buffer.concat(parts));
      assert.equal(res.inputs[0].packets, frames.length);
    }
  }
});
