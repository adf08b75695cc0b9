// Report fixtures for the renderer tests. `inputs` and `weirds` come from a real analysis of
// corpus captures (runCaptures), and device addresses from those captures' conn logs. Devices'
// identities, findings, segments and metrics are SYNTHETIC: the inventory and assessment that
// produce them live on other branches; renderer tests only need well-formed report objects,
// including hostile strings where the network controls the text.
import type { Device, Evidence, Finding, Segment } from './model.js';
import type { ReportView } from './view.js';
import { corpus, runCaptures } from '../testutil/corpus.js';

/** Hostile strings the network can put into names and values. */
export const HOSTILE_HOSTNAME = '<img src=x onerror=alert(1)>';
export const HOSTILE_VENDOR = '"><script>alert(2)</script>';
export const HOSTILE_TITLE = 'Pipe | equals = backslash \\ and\nnewline </script><svg onload=alert(3)>';

export const CORPUS_CAPTURES = [
  corpus('tapirx', 'HL7-ORU.pcap'),
  corpus('tapirx', 'dicom_arq_2_get_testclient.pcap'),
  corpus('zeek', 'traces', 'smb', 'smb1.pcap'),
  corpus('zeek', 'traces', 'arp-leak.pcap'),
];

function ev(file: string, packet: number, ts: number, fact: string, value: string, source: string): Evidence {
  return { fact, value, source, file, packet, ts };
}

function device(p: Partial<Device> & Pick<Device, 'id' | 'category'>): Device {
  return {
    mac: null,
    ips: [],
    hostnames: [],
    vendor: null,
    model: null,
    medical: false,
    os: null,
    software: [],
    services: [],
    protocols: [],
    risk: { score: 0, level: 'low', factors: [] },
    evidence: [],
    ...p,
  };
}

/** A report over real inputs (see the module comment for what is synthetic). */
export async function corpusReport(): Promise<ReportView> {
  const run = await runCaptures(CORPUS_CAPTURES);
  try {
    const conns = run.log('conn');
    const [hl7File, , smbFile] = CORPUS_CAPTURES;
    const hl7 = conns.find((c) => c.service === 'hl7')!;
    const smb = conns.find((c) => c.service === 'smb')!;
    const hl7Ts = hl7.ts as number;
    const smbTs = smb.ts as number;
    return buildReport(run.result.inputs, run.result.weirds, {
      pumpIp: hl7['id.orig_h'] as string,
      lisIp: hl7['id.resp_h'] as string,
      imagingIp: smb['id.resp_h'] as string,
      wsIp: smb['id.orig_h'] as string,
      hl7File,
      hl7Ts,
      smbFile,
      smbTs,
    });
  } finally {
    run.cleanup();
  }
}

interface Addrs {
  pumpIp: string;
  lisIp: string;
  imagingIp: string;
  wsIp: string;
  hl7File: string;
  hl7Ts: number;
  smbFile: string;
  smbTs: number;
}

export function buildReport(inputs: ReportView['inputs'], weirds: Record<string, number>, a: Addrs): ReportView {
  const pump = device({
    id: 'mac:00:1b:63:aa:bb:01',
    mac: '00:1b:63:aa:bb:01',
    ips: [a.pumpIp],
    hostnames: [HOSTILE_HOSTNAME],
    vendor: HOSTILE_VENDOR,
    model: 'Infusion 9000',
    category: 'infusion_pump',
    category_reason: 'HL7 sending application',
    medical: true,
    services: ['tcp/23 telnet'],
    protocols: ['hl7', 'telnet'],
    risk: {
      score: 92,
      level: 'critical',
      factors: [
        { id: 'category', points: 30, why: 'infusion pumps are life-critical' },
        { id: 'default-credentials', points: 35, why: 'accepts the vendor default password' },
        { id: 'phi-cleartext', points: 27, why: 'sends patient data unencrypted' },
      ],
    },
    evidence: [ev(a.hl7File, 4, a.hl7Ts, 'hostname', HOSTILE_HOSTNAME, 'dhcp.option12')],
    first_seen: a.hl7Ts,
    last_seen: a.hl7Ts + 0.02,
  });
  const imaging = device({
    id: 'mac:08:00:37:cc:dd:02',
    mac: '08:00:37:cc:dd:02',
    ips: [a.imagingIp],
    hostnames: ['CT-SCANNER-01'],
    vendor: 'Siemens Healthineers',
    model: 'SOMATOM',
    category: 'imaging',
    medical: true,
    os: { name: 'Windows 7', version: 'SP1', family: 'windows', eol: true, eol_date: '2020-01-14' },
    services: ['tcp/445 smb', 'tcp/3389 rdp'],
    protocols: ['smb', 'rdp', 'dicom'],
    risk: {
      score: 81,
      level: 'high',
      factors: [
        { id: 'eol-os', points: 25, why: 'Windows 7 past end of support' },
        { id: 'kev', points: 30, why: 'CVE-2019-0708 is known exploited' },
        { id: 'category', points: 26, why: 'imaging' },
      ],
    },
    evidence: [ev(a.smbFile, 6, a.smbTs, 'os', 'Windows 7 Professional 7601 Service Pack 1', 'smb.native_os')],
  });
  const ws = device({
    id: 'mac:3c:52:82:ee:ff:03',
    mac: '3c:52:82:ee:ff:03',
    ips: [a.wsIp, 'fe80::3e52:82ff:feee:ff03'],
    hostnames: ['NURSE-WS-12'],
    vendor: 'HP',
    model: 'EliteDesk 800',
    category: 'workstation',
    os: { name: 'Windows 10', version: '22H2', family: 'windows', eol: false, eol_date: '2025-10-14' },
    risk: { score: 45, level: 'medium', factors: [{ id: 'smbv1', points: 45, why: 'speaks SMB1' }] },
  });
  const lis = device({
    id: 'ip:' + a.lisIp,
    ips: [a.lisIp],
    hostnames: ['lis.example.org'],
    vendor: 'Acme Labs',
    category: 'lab_analyzer',
    medical: true,
    risk: { score: 30, level: 'medium', factors: [{ id: 'phi-cleartext', points: 30, why: 'receives HL7 in clear' }] },
  });
  const printer = device({
    id: 'mac:00:00:48:11:22:04',
    mac: '00:00:48:11:22:04',
    ips: ['10.0.0.200'],
    vendor: 'Epson',
    category: 'printer',
    risk: { score: 10, level: 'low', factors: [{ id: 'category', points: 10, why: 'printer' }] },
  });
  const unknown = device({ id: 'mac:02:00:00:00:00:05', mac: '02:00:00:00:00:05', category: 'unknown' });

  const findings: Finding[] = [
    {
      id: 'f-eol-imaging',
      rule: 'eol-os',
      severity: 'high',
      device: imaging.id,
      title: 'Windows 7 is past its end of support',
      detail: 'Windows 7 SP1 lost vendor security updates on 2020-01-14.',
      evidence: [ev(a.smbFile, 6, a.smbTs, 'os', 'Windows 7 Professional 7601 Service Pack 1', 'smb.native_os')],
      remediation: 'Ask the vendor for a supported OS build; until then isolate the device.',
      cves: [],
    },
    {
      id: 'f-kev-imaging',
      rule: 'known-exploited-vulnerability',
      severity: 'critical',
      device: imaging.id,
      title: 'RDP remote code execution (BlueKeep)',
      detail: 'RDP is offered on Windows 7, which is affected by CVE-2019-0708.',
      evidence: [ev(a.smbFile, 7, a.smbTs + 0.01, 'service', 'tcp/3389', 'rdp.negotiation')],
      remediation: 'Install the May 2019 update or disable RDP; block tcp/3389 from other segments.',
      cves: ['CVE-2019-0708'],
      cvss: 9.8,
      cvss_version: '3.1',
      kev: true,
    },
    {
      id: 'f-smbv1-ws',
      rule: 'smbv1',
      severity: 'medium',
      device: ws.id,
      title: 'SMB1 negotiated',
      detail: 'The workstation negotiated the SMB1 dialect NT LM 0.12.',
      evidence: [ev(a.smbFile, 3, a.smbTs, 'dialect', 'NT LM 0.12', 'smb.dialect')],
      remediation: 'Disable SMB1 on the workstation and its servers.',
      cves: [],
    },
    {
      id: 'f-default-pump',
      rule: 'default-credentials',
      severity: 'critical',
      device: pump.id,
      title: 'Vendor default password accepted',
      detail: 'A Telnet login used the vendor default credential (password <redacted>).',
      evidence: [ev(a.hl7File, 5, a.hl7Ts, 'credential', 'user=admin password=<redacted> default=yes', 'telnet.login')],
      remediation: 'Change the default password; disable Telnet.',
      cves: [],
    },
    {
      id: 'f-phi-pump',
      rule: 'phi-cleartext',
      severity: 'high',
      device: pump.id,
      title: 'Patient data sent unencrypted (HL7)',
      detail: 'An HL7 ORU^R01 message with PID and PV1 segments crossed the network in clear.',
      evidence: [ev(a.hl7File, 4, a.hl7Ts, 'phi', 'PID, PV1', 'hl7.phi_segments')],
      remediation: 'Carry HL7 over TLS (or a VPN) between the pump gateway and the LIS.',
      cves: [],
    },
    {
      id: 'f-hostile',
      rule: 'cleartext-protocol',
      severity: 'medium',
      device: pump.id,
      title: HOSTILE_TITLE,
      detail: `Banner was ${HOSTILE_TITLE}`,
      evidence: [ev(a.hl7File, 6, a.hl7Ts, 'banner', HOSTILE_TITLE, 'telnet.banner')],
      remediation: 'Replace Telnet with SSH \\ or remove it.',
      cves: [],
    },
    {
      id: 'f-advisory-pump',
      rule: 'medical-advisory',
      severity: 'high',
      device: pump.id,
      title: 'Medical device advisory covers this pump (synthetic)',
      detail: 'Synthetic advisory for renderer tests.',
      evidence: [ev(a.hl7File, 4, a.hl7Ts, 'model', 'Infusion 9000', 'hl7.sending_application')],
      remediation: 'Apply the vendor patch named in the advisory.',
      cves: [],
      advisory: 'ICSMA-00-000-00',
    },
    {
      id: 'f-scan-ws',
      rule: 'scan',
      severity: 'low',
      device: ws.id,
      title: 'Port scan of 40 hosts',
      detail: 'The workstation probed tcp/445 on 40 hosts in 10 seconds.',
      evidence: [ev(a.smbFile, 1, a.smbTs, 'peers', '40', 'conn.resp_h')],
      remediation: 'Check the workstation for malware.',
      cves: [],
    },
    {
      id: 'f-mixed',
      rule: 'segment-mixed',
      severity: 'medium',
      device: imaging.id,
      title: 'Imaging shares a segment with workstations',
      detail: 'Segment 10.0.0.0/24 holds medical devices and IT workstations.',
      evidence: [],
      remediation: 'Move medical devices into their own VLAN with a firewall policy.',
      cves: [],
    },
  ];
  const segments: Segment[] = [
    {
      id: 'seg-1',
      cidr: '10.0.0.0/24',
      devices: [pump.id, lis.id, printer.id],
      medical_devices: [pump.id, lis.id],
      it_devices: [],
      iot_devices: [printer.id],
      mixed: false,
    },
    {
      id: 'seg-2',
      cidr: '192.168.1.0/24',
      vlan: 20,
      devices: [imaging.id, ws.id, unknown.id],
      medical_devices: [imaging.id],
      it_devices: [ws.id],
      iot_devices: [],
      mixed: true,
    },
  ];
  return {
    wardline: { version: '0.1.0', kb: { version: '2025-01-01', sources: [{ name: 'cisa-kev', date: '2025-01-01', records: 1200 }] } },
    inputs,
    devices: [unknown, printer, ws, lis, imaging, pump],
    findings,
    segments,
    metrics: {
      devices: 6,
      medical_devices: 3,
      eol_os_pct: 16.7,
      imaging_eol_os_pct: 100,
      medium_high_risk_pct: 50,
      unencrypted_bytes_pct: 62.5,
      unencrypted_flows_pct: 66.7,
      mixed_segments_pct: 50,
      cleartext_credential_devices: 1,
      default_credential_devices: 1,
    },
    weirds,
    as_of: '2025-01-01',
  };
}

/**
 * A large site made from `base`: its devices copied until there are `count`, each copy with its
 * own id, addresses and name, and the findings of the copied device copied with it. The hostile
 * names stay in every copy, so the part of a large report kept as data carries them too.
 */
export function largeReport(base: ReportView, count: number): ReportView {
  const devices: Device[] = [];
  const findings: Finding[] = [];
  for (let k = 0; devices.length < count; k++) {
    for (const d of base.devices) {
      if (devices.length >= count) break;
      const id = k === 0 ? d.id : `${d.id}-copy${k}`;
      const ips = d.ips.map((ip) => (ip.includes(':') ? `${ip}:${k}` : `10.${(k >> 8) & 255}.${k & 255}.${devices.length % 250}`));
      const hostnames = k === 0 ? d.hostnames : d.hostnames.map((h) => `${h}-${k}`);
      devices.push({ ...d, id, ips: k === 0 ? d.ips : ips, hostnames });
      for (const f of base.findings) if (f.device === d.id) findings.push({ ...f, id: k === 0 ? f.id : `${f.id}-copy${k}`, device: id });
    }
  }
  return { ...base, devices, findings };
}
