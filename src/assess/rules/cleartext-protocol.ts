// cleartext-protocol: the device serves a protocol that carries logins, commands or clinical data
// without encryption (Telnet, rlogin, FTP, HTTP with authentication, SNMP v1/v2c, VNC,
// POP3/IMAP/SMTP without STARTTLS, HL7 v2 over MLLP, DICOM without TLS, IntelliVue Data Export,
// MySQL/PostgreSQL without TLS, SQL Server without session encryption; voice, video and fax
// set up in clear as plain RTP or T.38, SRTP keys in clear SIP; NFS with AUTH_SYS or Kerberos
// without privacy; Cisco SCCP call signalling outside TLS; XDMCP logins; Zabbix agent and server
// traffic without TLS, Checkmk agent output in plain text; AJP13 between web server and servlet
// container; MGCP gateway control, which has no security but IPsec; H.323 RAS and call signalling
// without H.235; Redis without TLS, high when it answered without authentication; the rsync
// daemon, high when it opened a module without a password; iSCSI, high when a target let a
// session in without authentication);
// one finding per service
// and port.
import type { Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';
import { serviceFix } from '../fixes.js';
import type { ServiceObs } from '../observe.js';

/** Display names of the clear-text services the observer records (observe.ts cleartext). */
export const CLEARTEXT_SERVICE_NAMES: Record<string, string> = {
  telnet: 'Telnet',
  rlogin: 'rlogin',
  ftp: 'FTP',
  'http-auth': 'HTTP authentication',
  snmp: 'SNMP v1/v2c',
  snmpv3: 'SNMPv3 (noAuthNoPriv)',
  vnc: 'VNC',
  pop3: 'POP3',
  imap: 'IMAP',
  smtp: 'SMTP',
  hl7: 'HL7 v2 (MLLP)',
  'hl7-http': 'HL7 v2 over HTTP',
  dicom: 'DICOM',
  astm: 'ASTM E1381/E1394',
  poct1a: 'POCT1-A',
  intellivue: 'IntelliVue Data Export',
  rtp: 'voice/video (RTP)',
  fax: 'fax (T.38)',
  sdes: 'SRTP keys (SDES in SIP)',
  nfs: 'NFS',
  mysql: 'MySQL',
  postgresql: 'PostgreSQL',
  mssql: 'SQL Server (TDS)',
  oracle: 'Oracle Net',
  sccp: 'Cisco SCCP (Skinny)',
  xdmcp: 'XDMCP (X display manager)',
  zabbix: 'Zabbix',
  checkmk: 'Checkmk agent',
  ajp: 'AJP13 (Apache JServ)',
  mgcp: 'MGCP',
  h323: 'H.323 (H.225.0)',
  redis: 'Redis',
  drda: 'DRDA (Db2, Derby)',
  xmpp: 'XMPP (Jabber)',
  rsync: 'rsync daemon',
  iscsi: 'iSCSI',
};

/** Protocols that carry clinical data (patients, results, images): high, like Telnet. */
const CLINICAL = new Set(['hl7', 'hl7-http', 'dicom', 'astm', 'poct1a', 'intellivue', 'fax']);

export function cleartextProtocol(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const all = new Map<string, ServiceObs[]>();
    for (const h of ctx.hostsOf(d)) for (const s of h.cleartext.values()) all.set(`${s.service}|${s.port}`, [...(all.get(`${s.service}|${s.port}`) ?? []), s]);
    for (const [key, list] of [...all].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const s = list[0];
      const n = list.reduce((a, x) => a + x.count, 0);
      const clinical = CLINICAL.has(s.service);
      out.push(
        makeFinding('cleartext-protocol', d, {
          key,
          // Media has no fixed port (each call or stream negotiates its own): port 0.
          title: s.port === 0 ? `Clear-text ${CLEARTEXT_SERVICE_NAMES[s.service] ?? s.service} sent by the device` : `Clear-text ${CLEARTEXT_SERVICE_NAMES[s.service] ?? s.service} served on port ${s.port}`,
          detail: s.port === 0 ? `${s.detail} (${n} stream${n > 1 ? 's' : ''}).` : `${s.detail} on port ${s.port} (seen ${n} time${n > 1 ? 's' : ''}).`,
          evidence: list.map((x) => x.evidence),
          severity: clinical || s.service === 'telnet' || s.service === 'rlogin' || list.some((x) => x.open === true) ? 'high' : undefined,
          remediation: serviceFix(s.service),
        }),
      );
    }
  }
  return out;
}
