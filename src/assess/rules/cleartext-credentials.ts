// cleartext-credentials: a user name with a password, token or community crossed the wire
// readable; the finding is on the server that accepts it, one per protocol and port. When that
// server is no device of the inventory (a mail or FTP server on the Internet, counted but not
// listed, or an address that never answered), or nobody answered it (an SNMP request no agent
// took: scanners send "public" to every address), the credentials still crossed the wire and
// only the client can be fixed: the finding is then on the device that sent them.
import { onPort } from '../fixes.js';
import type { Device, Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import { credentialFix, outsideCredentialFix, unansweredCredentialFix } from '../fixes.js';
import type { CredentialObs } from '../observe.js';

/** Display names of the protocols credentials are recorded for (observe.ts credentials). */
export const CREDENTIAL_PROTOCOL_NAMES: Record<string, string> = {
  ftp: 'FTP', http: 'HTTP', pop3: 'POP3', imap: 'IMAP', smtp: 'SMTP', ldap: 'LDAP simple bind', snmp: 'SNMP v1/v2c', mqtt: 'MQTT', socks: 'SOCKS', telnet: 'Telnet', rlogin: 'rlogin', mysql: 'MySQL', postgresql: 'PostgreSQL', smb: 'SMB (plain-text password)', dicom: 'DICOM user identity', tds: 'TDS', rtsp: 'RTSP', opcua: 'OPC UA user-name token (SecurityPolicy None)', astm: 'ASTM E1394 header password', irc: 'IRC server password', redis: 'Redis AUTH',
};

export function protocolName(p: string): string {
  return CREDENTIAL_PROTOCOL_NAMES[p] ?? p.toUpperCase();
}

/** Credentials grouped by protocol and port, in key order. */
function byProtocolPort(creds: Iterable<CredentialObs>, only?: (c: CredentialObs) => boolean): Map<string, CredentialObs[]> {
  const groups = new Map<string, CredentialObs[]>();
  for (const c of creds) {
    if (only !== undefined && !only(c)) continue;
    const k = `${c.protocol}|${c.server_port}`;
    const l = groups.get(k);
    if (l === undefined) groups.set(k, [c]);
    else l.push(c);
  }
  return new Map([...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** Credentials a device's addresses received and answered, grouped by protocol and port. */
export function credentialGroups(ctx: RuleContext, d: Device, only?: (c: CredentialObs) => boolean): Map<string, CredentialObs[]> {
  return byProtocolPort(ctx.hostsOf(d).flatMap((h) => [...h.credentials.values()]), (c) => c.unanswered !== true && (only === undefined || only(c)));
}

function outcome(list: CredentialObs[]): string {
  const ok = list.filter((c) => c.success === true).length;
  const bad = list.filter((c) => c.success === false).length;
  const none = list.filter((c) => c.success === null && c.unanswered === true).length;
  const parts: string[] = [];
  if (ok > 0) parts.push(`${ok} accepted`);
  if (bad > 0) parts.push(`${bad} refused`);
  if (none > 0) parts.push(`${none} not answered`);
  if (list.length - ok - bad - none > 0) parts.push(`${list.length - ok - bad - none} with outcome not seen`);
  return parts.join(', ');
}

function usersOf(list: readonly CredentialObs[]): string[] {
  return [...new Set(list.map((c) => (c.user === '' ? (c.protocol === 'snmp' ? '(community)' : '(no user name)') : c.user)))].sort();
}

/** Credentials that local devices sent to servers outside the inventory, by sending device id. */
function sentOutside(ctx: RuleContext): Map<string, CredentialObs[]> {
  const byDevice = new Map<string, CredentialObs[]>();
  for (const h of ctx.obs.hosts.values()) {
    if (h.credentials.size === 0) continue;
    const listed = ctx.byAddr.has(h.addr);
    for (const c of h.credentials.values()) {
      // A listed server's credentials are its own finding, unless it never answered them.
      if (listed && c.unanswered !== true) continue;
      const d = ctx.byAddr.get(c.client);
      if (d === undefined) continue;
      const l = byDevice.get(d.id);
      if (l === undefined) byDevice.set(d.id, [c]);
      else l.push(c);
    }
  }
  return byDevice;
}

export function cleartextCredentials(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    for (const [key, list] of credentialGroups(ctx, d)) {
      const c0 = list[0];
      const users = usersOf(list);
      const clients = [...new Set(list.map((c) => c.client))].sort();
      const what = c0.protocol === 'snmp' ? 'communities' : 'passwords';
      out.push(
        makeFinding('cleartext-credentials', d, {
          key,
          title: `Credentials sent in clear text: ${protocolName(c0.protocol)}${onPort(c0.server_port)}`,
          detail: `${list.length} credential${list.length > 1 ? 's' : ''} (${outcome(list)}) reached ${protocolName(c0.protocol)}${onPort(c0.server_port)} unencrypted from ${listText(clients, 4)}; users: ${listText(users, 6)}. The ${what} are redacted here; anyone on the path can read them.`,
          evidence: list.map((c) => c.evidence),
          remediation: credentialFix(c0.protocol),
        }),
      );
    }
  }
  const outside = sentOutside(ctx);
  for (const id of [...outside.keys()].sort()) {
    const d = ctx.byId.get(id);
    if (d === undefined) continue;
    for (const [key, all] of byProtocolPort(outside.get(id)!)) {
      // Sent to servers outside the inventory, and sent where nobody answered: two findings.
      for (const unanswered of [false, true]) {
        const list = all.filter((c) => (c.unanswered === true) === unanswered);
        if (list.length === 0) continue;
        const c0 = list[0];
        const servers = [...new Set(list.map((c) => c.server))].sort();
        const what = c0.protocol === 'snmp' ? 'communities' : 'passwords';
        const where = unanswered
          ? `${servers.length > 1 ? 'None of those addresses answered' : 'That address did not answer'} (no agent took the ${c0.protocol === 'snmp' ? 'community' : 'password'}: a probe, a guess, or a server that is down), so the fix is on this side.`
          : `${servers.length > 1 ? 'Those servers are' : 'That server is'} not among this report's devices (an Internet server, or an address that never answered), so the fix is on this side.`;
        out.push(
          makeFinding('cleartext-credentials', d, {
            key: `${key}|${unanswered ? 'unanswered' : 'sent'}`,
            title: unanswered
              ? `Credentials sent in clear text and not answered: ${protocolName(c0.protocol)}${onPort(c0.server_port)}`
              : `Credentials sent in clear text to a server outside the inventory: ${protocolName(c0.protocol)}${onPort(c0.server_port)}`,
            detail: `${list.length} credential${list.length > 1 ? 's' : ''} (${outcome(list)}) went from this device to ${protocolName(c0.protocol)}${onPort(c0.server_port)} of ${listText(servers, 4)} unencrypted; users: ${listText(usersOf(list), 6)}. ${where} The ${what} are redacted here; anyone on the path can read them.`,
            evidence: list.map((c) => c.evidence),
            remediation: unanswered ? unansweredCredentialFix(c0.protocol) : outsideCredentialFix(c0.protocol, c0.server_port),
          }),
        );
      }
    }
  }
  return out;
}
