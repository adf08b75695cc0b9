// Windows protocols: Kerberos computer accounts (RFC 4120 §5.4), NTLM VERSION and CHALLENGE target info (MS-NLMP 2.2.2.10, 2.2.2.1), the
// AUTHENTICATE workstation name, SMB1 NativeOS/NativeLanMan (MS-CIFS 2.2.4.53), NetBIOS session
// names (RFC 1002 §4.3.2), SMB dialects (MS-SMB2 2.2.4) and the RDP client name (MS-RDPBCGR
// 2.2.1.3.2).
import { ipSubject, num, str, type ObserveCtx } from './observe-ctx.js';
import { ntlmClaim, smbNativeClaim } from './os-parse.js';

const NB_WORKSTATION = 0x00;
const NB_SERVER = 0x20;

export function ntlmVersion(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  const major = num(ev.major);
  const minor = num(ev.minor);
  const build = num(ev.build);
  if (subject === null || major === undefined || minor === undefined || build === undefined) return;
  if (major === 0) return;
  const os = ntlmClaim(major, minor, build);
  // A VERSION that names no Windows release (Samba's 6.1.0) stays evidence, without an OS claim.
  x.add(subject, os !== null ? { fact: 'os', value: `${major}.${minor}.${build}`, source: 'ntlm.version', os } : { fact: 'os', value: `${major}.${minor}.${build}`, source: 'ntlm.version' });
}

export function ntlmServerNames(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  x.addText(subject, 'hostname', 'ntlm.nb_computer_name', ev.nb_computer_name);
  x.addText(subject, 'hostname', 'ntlm.dns_computer_name', ev.dns_computer_name);
  x.addText(subject, 'domain', 'ntlm.nb_domain_name', ev.nb_domain_name);
  x.addText(subject, 'domain', 'ntlm.dns_domain_name', ev.dns_domain_name);
}

export function ntlmAuth(x: ObserveCtx): void {
  if (x.c === null) return;
  x.addText(x.side(true), 'hostname', 'ntlm.workstation', x.ev.hostname);
}

/**
 * Kerberos (RFC 4120): a computer's own account ("PC1$") in a request or reply, or the NetBIOS
 * name in a request's addresses, names the requesting host; the realm is its domain.
 */
export function krbHost(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  x.addText(subject, 'hostname', ev.source === 'cname' ? 'krb.cname' : 'krb.addresses', ev.name);
  x.addText(subject, 'domain', 'krb.realm', ev.realm);
}

/** Interfaces only a domain controller serves: directory replication ([MS-DRSR]) and the netlogon secure channel ([MS-NRPC]). */
const DC_INTERFACES = new Set(['drsuapi', 'netlogon']);

/** A host that answered a drsuapi or netlogon call is a domain controller. */
export function dceRpcCall(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.endpoint !== 'string' || !DC_INTERFACES.has(ev.endpoint)) return;
  x.add(x.side(false), { fact: 'role', value: 'domain-controller', source: `dce_rpc.${ev.endpoint}` });
}

export function smbNativeOs(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  const os = str(ev.os);
  const lanman = str(ev.lanman);
  const claim = smbNativeClaim(os, lanman);
  if (os !== undefined) x.add(subject, claim !== null ? { fact: 'os', value: os, source: 'smb.native_os', os: claim } : { fact: 'os', value: os, source: 'smb.native_os' });
  if (lanman !== undefined) x.add(subject, { fact: 'software', value: lanman, source: 'smb.native_lanman' });
  x.addText(subject, 'domain', 'smb.primary_domain', ev.domain);
}

export function smbNetbiosSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const calling = str(ev.calling)?.trim();
  const called = str(ev.called)?.trim();
  const cs = num(ev.calling_suffix);
  const ds = num(ev.called_suffix);
  if (calling !== undefined && calling !== '' && !calling.startsWith('*') && (cs === NB_WORKSTATION || cs === NB_SERVER)) x.add(x.side(true), { fact: 'hostname', value: calling, source: 'nbss.calling_name' });
  if (called !== undefined && called !== '' && !called.startsWith('*') && ds === NB_SERVER) x.add(x.side(false), { fact: 'hostname', value: called, source: 'nbss.called_name' });
}

export function smbDialect(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  if (ev.side === 'server') {
    x.addText(subject, 'smb_dialect', 'smb.dialect', ev.dialect ?? ev.version);
    if (ev.smb1 === true) x.add(subject, { fact: 'smb1', value: 'negotiated', source: 'smb.dialect' });
  } else if (ev.smb1 === true) {
    x.add(subject, { fact: 'smb1', value: 'offered', source: 'smb.dialect' });
  }
}

export function rdpSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  x.addText(x.side(true), 'hostname', 'rdp.client_name', ev.client_name);
  x.addText(x.side(true), 'software', 'rdp.client_build', ev.client_build);
}
