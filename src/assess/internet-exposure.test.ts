// internet-exposure on a generated capture (test/fixtures/generated/exposure: dcmtk storescu,
// snmpget and ssh from 185.220.101.7 to a PACS at 10.98.0.10, which answers with storescp,
// snmpd and sshd, then fetches two pages from that host; tshark: SYN to 104 at frame 13, the SNMP
// get at 49, SYN to 22 at 51, the PACS's own SYNs to 8080 at 78 and 90) and on corpus captures where
// Internet addresses reach ordinary servers (nDPI's smtp.pcap: a mail server; suricata-verify
// pop3-03 and krb5-probing), which are not findings. Address classes on synthetic addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from '../inventory/testutil.js';
import { LocalNets } from '../inventory/local.js';

const skip = !haveCorpus() && 'shared corpus not present';
const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-internet-exposure.pcap');

/** An address in the flow table's form (IPv4 as ::ffff:a.b.c.d). */
function words(a: string): [number, number, number, number] {
  if (!a.includes(':')) {
    const n = a.split('.').reduce((x, p) => x * 256 + Number(p), 0);
    return [0, 0, 0xffff, n];
  }
  const [h, t = ''] = a.split('::');
  const head = h === '' ? [] : h.split(':');
  const tail = t === '' ? [] : t.split(':');
  const g = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail].map((x) => parseInt(x, 16));
  return [0, 2, 4, 6].map((i) => ((g[i] << 16) | g[i + 1]) >>> 0) as [number, number, number, number];
}

test('LocalNets: Internet addresses are globally routable and outside the site (synthetic addresses)', () => {
  const n = new LocalNets();
  const inet = (a: string): boolean => n.isInternetWords(...words(a));
  for (const a of ['185.220.101.7', '8.8.8.8', '2001:4860::8888', '198.51.100.7']) assert.ok(inet(a), a);
  for (const a of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '127.0.0.1', '0.0.0.0', '169.254.1.1', '224.0.0.251', '239.255.255.250', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::fb']) assert.ok(!inet(a), a);
  assert.ok(n.hasWords(...words('192.168.1.1')) && n.hasWords(...words('fd12::1')) && !n.hasWords(...words('8.8.8.8')));
  // The site's own public range, declared with --local-nets, is not the Internet.
  const own = new LocalNets(['185.220.101.0/24', '10.0.0.0/8']);
  assert.ok(!own.isInternetWords(...words('185.220.101.7')) && own.isInternetWords(...words('192.168.1.1')));
  assert.ok(own.hasWords(...words('10.9.9.9')));
});

test('internet-exposure: a PACS answering DICOM, SNMP and SSH from an Internet host (generated: dcmtk, Net-SNMP, OpenSSH)', async () => {
  const { report } = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const pacs = report.devices.find((d) => d.ips.includes('10.98.0.10'))!;
  assert.equal(pacs.category, 'pacs');
  const found = report.findings.filter((f) => f.rule === 'internet-exposure');
  assert.ok(found.every((f) => f.device === pacs.id), 'only the PACS: its own fetch from the Internet host exposes nothing');
  assert.deepEqual(
    found.map((f) => [f.title, f.severity, f.evidence.map((e) => [e.value, e.packet])]).sort(),
    [
      ['Reachable from the Internet: DICOM on tcp/104', 'critical', [['185.220.101.7 → 10.98.0.10 tcp/104 dicom', 13]]],
      ['Reachable from the Internet: SNMP on udp/161', 'critical', [['185.220.101.7 → 10.98.0.10 udp/161 snmp', 49]]],
      ['Reachable from the Internet: SSH on tcp/22', 'high', [['185.220.101.7 → 10.98.0.10 tcp/22 ssh', 51]]],
    ],
  );
  const dicom = found.find((f) => f.title.includes('DICOM'))!;
  assert.match(dicom.detail, /^The device answered 1 connection from 185\.220\.101\.7 on tcp\/104 \(dicom\), clinical messaging or imaging: the perimeter lets Internet hosts reach it, and it is a medical or IoT device/);
  assert.ok(pacs.risk.factors.some((x) => x.id === 'internet-exposure' && x.points === 15));
  // The site declares that range its own: nothing is exposed.
  const own = await runPipeline([PCAP], { outDir: null, kb: testKb(), localNets: ['10.0.0.0/8', '185.220.101.0/24'] }, INVENTORY);
  assert.deepEqual(own.report.findings.filter((f) => f.rule === 'internet-exposure'), []);
});

test('internet-exposure: Internet clients of an ordinary mail, POP3 or Kerberos server are not findings (nDPI, suricata-verify)', { skip }, async () => {
  const caps = [corpus('ndpi', 'pcap', 'smtp.pcap'), corpus('suricata-verify', 'tests', 'pop3-03-bug-7709', 'input.pcap'), corpus('suricata-verify', 'tests', 'krb5-probing', 'krb.pcap')];
  for (const c of caps) {
    const { report } = await runPipeline([c], { outDir: null, kb: testKb() }, INVENTORY);
    assert.deepEqual(report.findings.filter((f) => f.rule === 'internet-exposure'), [], c);
  }
});
