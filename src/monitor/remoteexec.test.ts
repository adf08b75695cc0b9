// The remote-execution detector on real captures: Impacket's psexec.py uploading its service
// executable to a Samba ADMIN$ share (test/fixtures/generated/psexec; tshark --export-objects smb
// gives the file's MD5), Sysinternals PsExec creating and starting its service on a Windows host
// (suricata-verify dcerpc-smb-test-01, 20171220_smb_psexec_add_user.pcap: tshark shows svcctl
// CreateServiceWOW64W at frame 22 and StartServiceW at 28), a job scheduled with `at` over the
// atsvc pipe (suricata-verify smb2-04, 20171220_smb_at_schedule.pcap), and files that are not programs
// (the smbclient/Samba file transfers). The copy-then-service pattern has no capture here
// (Samba's svcctl refuses to create services): that case adds a synthetic call to the real copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import type { MonitorConfig } from './config.js';
import type { Alert } from '../report/alert.js';
import type { Category } from '../report/model.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import { isExecutableFile } from '../analyzers/files/kinds.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PSEXEC_SAMBA = join(GEN, 'generated-psexec-samba.pcap');

type CategoryOf = (ip: string, mac: string | null) => Category | null;

async function alerts(pcap: string, config: Partial<MonitorConfig> = {}, extra?: (ev: AppEvent, c: Conn | null, m: PacketMeta) => AppEvent | null, live?: CategoryOf, atEnd?: CategoryOf): Promise<{ alerts: Alert[]; files: Record<string, unknown>[] }> {
  const m = new Monitor({ config, fileName: () => pcap, ...(live !== undefined ? { deviceCategory: live } : {}) });
  const onEvent = (ev: AppEvent, c: Conn | null, mm: PacketMeta): void => {
    m.onEvent(ev, c, mm);
    const x = extra?.(ev, c, mm);
    if (x != null) m.onEvent(x, c, mm);
  };
  const run = await runCaptures([pcap], undefined, { onEvent, onConn: m.onConn });
  const files = run.log('files');
  run.cleanup();
  return { alerts: m.finish(atEnd !== undefined ? { category: atEnd } : {}).filter((a) => a.rule === 'remote-execution'), files };
}

test("remote-execution: Impacket psexec's service executable copied to ADMIN$ (high, the file's hashes as evidence)", async () => {
  const { alerts: a, files } = await alerts(PSEXEC_SAMBA);
  assert.equal(a.length, 1);
  assert.equal(a[0].severity, 'high');
  assert.equal(a[0].device, 'ip:10.97.0.10');
  assert.equal(a[0].peer, '10.97.0.2');
  assert.match(a[0].why, /^10\.97\.0\.10 copied an executable to 10\.97\.0\.2 over SMB \(\\\\10\.97\.0\.2\\ADMIN\$\\YEboLyee\.exe; MITRE ATT&CK T1570\)$/);
  const exe = files.find((f) => f.filename === 'YEboLyee.exe')!;
  // tshark --export-objects smb: %5cYEboLyee.exe, 56,320 bytes, MD5 6983f700…
  assert.equal(exe.md5, '6983f7001de10f4d19fc2d794c3eb534');
  assert.equal(exe.mime_type, 'application/x-dosexec');
  assert.equal(a[0].evidence.length, 1);
  assert.equal(a[0].evidence[0].source, 'files.smb_write');
  assert.ok(String(a[0].evidence[0].value).includes(`MD5 6983f7001de10f4d19fc2d794c3eb534`) && String(a[0].evidence[0].value).includes(`files.log ${exe.fuid}`));
});

test('remote-execution: Sysinternals PsExec creating and starting its service on a Windows host (high, the svcctl calls as evidence)', { skip }, async () => {
  const { alerts: a } = await alerts(corpus('suricata-verify', 'tests', 'dcerpc-smb-test-01', 'input.pcap'));
  assert.equal(a.length, 1);
  assert.equal(a[0].severity, 'high');
  assert.equal(a[0].device, 'ip:192.168.10.31');
  assert.equal(a[0].peer, '192.168.10.10');
  assert.deepEqual(
    a[0].evidence.map((e) => [e.value, e.packet]),
    [
      ['svcctl CreateServiceWOW64W', 22],
      ['svcctl StartServiceW', 28],
    ],
  );
  assert.match(a[0].why, /called svcctl CreateServiceWOW64W, svcctl StartServiceW on 192\.168\.10\.10, which run a program there/);
});

test('remote-execution: a job scheduled over atsvc (NetrJobAdd, MITRE ATT&CK T1053) on another host', { skip }, async () => {
  const { alerts: a } = await alerts(corpus('suricata-verify', 'tests', 'smb2-04', '20171220_smb_at_schedule.pcap'));
  assert.equal(a.length, 1);
  assert.equal(a[0].severity, 'high');
  assert.equal(a[0].device, 'ip:192.168.10.31');
  assert.equal(a[0].peer, '192.168.10.30');
  assert.deepEqual(
    a[0].evidence.map((e) => [e.source, e.value]),
    [['dce_rpc.operation', 'atsvc NetrJobAdd']],
  );
});

test('remote-execution: the copy then a service creation is critical (real copy, synthetic svcctl call)', async () => {
  let added = false;
  const { alerts: a } = await alerts(PSEXEC_SAMBA, {}, (ev, c) => {
    if (ev.type !== 'files.file' || c === null || added) return null;
    added = true;
    return { type: 'dce_rpc.call', endpoint: 'svcctl', operation: 'CreateServiceW', packet: ev.packet as number };
  });
  assert.equal(a.length, 1);
  assert.equal(a[0].severity, 'critical');
  assert.match(a[0].why, /copied an executable .* and called svcctl CreateServiceW on 10\.97\.0\.2, .*: a program copied, then started as a service or task \(the PsExec pattern\)$/);
});

// The Samba host of the psexec capture is a server; these two tests call it an imaging device (and
// a workstation) to see the escalation: no public capture has PsExec aimed at a medical device.
const asImaging: CategoryOf = (ip) => (ip === '10.97.0.2' ? 'imaging' : ip === '10.97.0.10' ? 'workstation' : null);
const IMAGING_WHY = /; the target is a medical or IoT device \(category imaging\), to which no administrator deploys software this way$/;

test('remote-execution: aimed at a medical device it is critical, live (monitor: the running classification)', async () => {
  const { alerts: a } = await alerts(PSEXEC_SAMBA, {}, undefined, asImaging);
  assert.equal(a.length, 1);
  assert.equal(a[0].severity, 'critical');
  assert.match(a[0].why, /^10\.97\.0\.10 copied an executable to 10\.97\.0\.2 over SMB \(.*\); the target is a medical or IoT device/);
  assert.match(a[0].why, IMAGING_WHY);
  // A workstation target stays high.
  const ws = await alerts(PSEXEC_SAMBA, {}, undefined, (ip) => (ip === '10.97.0.2' ? 'workstation' : null));
  assert.equal(ws.alerts[0].severity, 'high');
  assert.doesNotMatch(ws.alerts[0].why, /target is/);
});

test('remote-execution: aimed at a medical device it is critical, at the end (analyze: categories known only then), worded once', async () => {
  const { alerts: a } = await alerts(PSEXEC_SAMBA, {}, undefined, undefined, asImaging);
  assert.equal(a[0].severity, 'critical');
  assert.match(a[0].why, IMAGING_WHY);
  // Escalated live already: the end does not add the wording twice.
  const both = await alerts(PSEXEC_SAMBA, {}, undefined, asImaging, asImaging);
  assert.equal(both.alerts[0].why, a[0].why);
  // An IoT target (an "other IoT" device, a camera) counts too; an unknown one does not.
  assert.equal((await alerts(PSEXEC_SAMBA, {}, undefined, undefined, (ip) => (ip === '10.97.0.2' ? 'camera' : null))).alerts[0].severity, 'critical');
  assert.equal((await alerts(PSEXEC_SAMBA, {}, undefined, undefined, () => null)).alerts[0].severity, 'high');
});

test('remote-execution: remoteExecAllow silences a deployment server; files that are not programs raise nothing', { skip }, async () => {
  assert.deepEqual((await alerts(PSEXEC_SAMBA, { remoteExecAllow: ['10.97.0.10/32'] })).alerts, []);
  assert.deepEqual((await alerts(corpus('suricata-verify', 'tests', 'dcerpc-smb-test-01', 'input.pcap'), { remoteExecAllow: ['192.168.10.0/24'] })).alerts, []);
  // A DICOM file, a 2 MiB binary, a text file written and read by smbclient: no program among them.
  assert.deepEqual((await alerts(join(GEN, 'generated-smb-file-transfer.pcap'))).alerts, []);
});

test('isExecutableFile: by the bytes first (MZ/ELF media types), else by the extensions Windows runs', () => {
  assert.ok(isExecutableFile('application/x-dosexec', 'report.pdf'));
  assert.ok(isExecutableFile('application/x-executable', undefined));
  assert.ok(isExecutableFile(undefined, 'RUN.BAT'));
  assert.ok(isExecutableFile('text/plain', 'deploy.ps1'));
  assert.ok(!isExecutableFile('text/plain', 'notes.txt'));
  assert.ok(!isExecutableFile('application/dicom', 'ct.dcm'));
  assert.ok(!isExecutableFile(undefined, 'exe'));
});
