// Segment boundaries must not change what a stream analyzer reports: each TCP flow of real and
// generated captures is fed whole (as the capture delivered it) and re-cut at seeded random
// points into pieces of 1..3, 1..40 and 1..400 bytes; the events and weirds must be the same
// (apart from the packet numbers and times the deliveries date them by). SSH is not among them: its
// login outcome is read, as Zeek reads it, from the sizes of the encrypted packets after the key
// exchange, which segment boundaries are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus } from '../testutil/corpus.js';
import { feedAnalyzer, flowBytes, recut } from '../testutil/flowbytes.js';
import { rng } from '../testutil/fuzz.js';
import { ANALYZERS } from './registry.js';
import type { AppEvent } from './types.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const A = join(REPO_ROOT, 'src', 'analyzers');

/** Analyzer (conn.log name) → captures of its protocol. */
const CASES: [string, string[]][] = [
  ['hl7', [join(A, 'hl7', 'fixtures', 'generated-hl7-mllp.pcap'), corpus('tapirx', 'HL7-ORM.pcap'), corpus('tapirx', 'HL7-ORU.pcap')]],
  ['dicom', [join(A, 'dicom', 'fixtures', 'generated-dicom-dcmtk.pcap'), join(A, 'dicom', 'fixtures', 'generated-dicom-offport-store.pcap'), corpus('tapirx', 'dicom_arq_1_find_testclient.pcap'), corpus('tapirx', 'dicom_arq_2_get_testclient.pcap')]],
  ['astm', [join(A, 'astm', 'fixtures', 'generated-astm.pcap')]],
  ['poct1a', [join(A, 'poct1a', 'fixtures', 'generated-poct1a.pcap')]],
  ['lpd', [join(GEN, 'generated-lpd.pcap')]],
  ['amqp', [join(GEN, 'generated-amqp.pcap'), corpus('ndpi', 'pcap', 'amqp.pcap')]],
  ['http', [join(GEN, 'generated-fhir-rest.pcap'), join(GEN, 'generated-dicomweb.pcap'), join(GEN, 'generated-ipp-label-printer.pcap')]],
  ['smtp', [join(GEN, 'generated-smtp-mime.pcap'), join(GEN, 'generated-smtp-bdat.pcap')]],
  ['smb', [join(GEN, 'generated-smb-file-transfer.pcap')]],
  ['modbus', [join(GEN, 'generated-modbus-device-id.pcap')]],
  ['pptp', [join(GEN, 'generated-pptp.pcap')]],
  ['jetdirect', [join(GEN, 'generated-jetdirect.pcap')]],
  ['niagara_fox', [join(GEN, 'generated-niagara-fox.pcap')]],
  ['synchrophasor', [corpus('arkime', 'tests', 'pcap', 'synchrophasor_synthetic.pcap'), join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-c37118.pcap')]],
  ['c1222', [corpus('arkime', 'tests', 'pcap', 'c1222.pcap')]],
  ['sccp', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-sccp.pcap')]],
  ['zabbix', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-zabbix.pcap')]],
  ['checkmk', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-checkmk.pcap')]],
  ['ajp', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-ajp.pcap'), join(GEN, 'generated-ajp.pcap')]],
  ['h323', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-h323.pcap')]],
  ['redis', [join(GEN, 'generated-redis.pcap'), join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-redis.pcap')]],
  ['stratum', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-stratum.pcap')]],
  ['bitcoin', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-bitcoin.pcap')]],
  ['xmpp', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-xmpp.pcap')]],
  ['drda', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-drda.pcap'), join(GEN, 'generated-derby-drda.pcap')]],
  ['ftp', [corpus('zeek', 'traces', 'ftp', 'ipv4.pcap'), corpus('zeek', 'traces', 'ftp', 'retr.pcap')]],
  ['ldap_tcp', [corpus('zeek', 'traces', 'ldap', 'simpleauth.pcap'), corpus('zeek', 'traces', 'ldap', 'aduser1-ntlm.pcap')]],
  ['postgresql', [corpus('zeek', 'traces', 'postgresql', 'psql-login.pcap')]],
  ['rdp', [corpus('zeek', 'traces', 'rdp', 'rdp-proprietary-encryption.pcap'), corpus('zeek', 'traces', 'rdp', 'rdp-unknown-keyboard.pcap')]],
  ['rfb', [corpus('zeek', 'traces', 'rfb', 'vncmac.pcap')]],
  ['imap', [corpus('arkime', 'tests', 'pcap', 'imap.pcap'), corpus('ndpi', 'pcap', 'imap-starttls.pcap')]],
  ['pop3', [corpus('arkime', 'tests', 'pcap', 'pop3-tag.pcap'), corpus('ndpi', 'pcap', 'pop3.pcap')]],
  ['mysql', [corpus('arkime', 'tests', 'pcap', 'mysql-allow.pcap'), corpus('arkime', 'tests', 'pcap', 'mysql-deny.pcap')]],
  ['socks', [corpus('arkime', 'tests', 'pcap', 'socks-http-pass.pcap'), corpus('arkime', 'tests', 'pcap', 'socks5-rdp.pcap')]],
  ['mqtt', [corpus('arkime', 'tests', 'pcap', 'mqtt_synthetic.pcap'), corpus('ndpi', 'pcap', 'mqtt.pcap')]],
  ['opcua', [corpus('arkime', 'tests', 'pcap', 'opcua_synthetic.pcap'), corpus('ndpi', 'pcap', 'opc-ua.pcap')]],
  ['iec104', [corpus('ndpi', 'pcap', 'IEC104.pcap')]],
  ['s7comm', [corpus('icsnpp-s7comm', 'tests', 'traces', 'snap7.pcap'), corpus('ndpi', 'pcap', 's7comm.pcap')]],
  ['enip', [corpus('icsnpp-enip', 'tests', 'traces', 'multiple_service_packet_cip.pcapng')]],
  ['oracle', [corpus('arkime', 'tests', 'pcap', 'oracle.pcap'), join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-oracle.pcap')]],
  ['irc', [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-irc.pcap')]],
  ['rtsp', [corpus('ndpi', 'pcap', 'rtsp.pcap')]],
  ['dnp3_tcp', [corpus('zeek', 'traces', 'dnp3', 'dnp3_read.pcap'), corpus('zeek', 'traces', 'dnp3', 'dnp3_select_operate.pcap')]],
  ['ssl', [corpus('zeek', 'traces', 'tls', 'client-certificate.pcap'), corpus('zeek', 'traces', 'tls', 'ecdhe.pcap')]],
];

/** Events with every packet number and time (at any depth) blanked. */
function undatedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(undatedDeep);
  if (v instanceof Uint8Array) return Array.from(v);
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = /^(tsSec|tsNsec|ts|packet|ts_sec|ts_nsec|last_packet|first_packet)$/.test(k) ? 0 : undatedDeep(x);
  return o;
}

for (const [name, paths] of CASES) {
  const spec = ANALYZERS.find((s) => s.name === name)!;
  test(`${name}: the same events whatever the segment boundaries`, { skip: !haveCorpus() && paths.some((p) => p.startsWith(corpus())) && 'shared corpus not present' }, async () => {
    const r = rng(20261130);
    let flowsSeen = 0;
    for (const path of paths) {
      if (!existsSync(path)) continue;
      for (const f of await flowBytes(path)) {
        if (f.proto !== 6) continue;
        const whole = feedAnalyzer(spec.create(), f.chunks);
        if (whole.events.length === 0) continue;
        flowsSeen++;
        const want = undatedDeep(whole.events as AppEvent[]);
        for (const max of [3, 40, 400]) {
          const cut = feedAnalyzer(spec.create(), recut(f.chunks, r, max));
          assert.deepEqual(undatedDeep(cut.events as AppEvent[]), want, `${path} flow ${f.oPort}->${f.rPort}, pieces of 1..${max}`);
          assert.deepEqual(cut.weirds, whole.weirds, `${path} flow ${f.oPort}->${f.rPort} weirds, pieces of 1..${max}`);
        }
      }
    }
    assert.ok(flowsSeen > 0, `no ${name} flow in ${paths.join(', ')}`);
  });
}
