// Brute-force detection: repeated failed logins from one client to one server over one protocol
// within a sliding window. The failure signals are the analyzers' own verdicts:
//   FTP 530 (ftp.login), Telnet/rlogin "Login incorrect" (login.attempt), SSH by Zeek's packet-
//   size heuristic over the encrypted exchange (ssh.auth), NTLM over SMB, LDAP, HTTP, DCE-RPC …
//   (ntlm.auth), LDAP simple binds answered invalidCredentials (ldap.message), HTTP 401 to Basic or
//   Digest credentials (http.transaction), POP3/IMAP/SMTP/SOCKS/VNC/MySQL/PostgreSQL refusals, SNMP as
//   distinct communities tried on one agent (agents drop bad communities silently, RFC 3584
//   §4.1), RADIUS Access-Rejects per user and NAS (radius.auth), netlogon authenticates with an
//   all-zero credential refused by a DC (the Zerologon exploit's retries), RDP as short server-silent
//   connections (the logon failure itself is encrypted), and DICOM as distinct AE titles a PACS or
//   modality refused: where the called AE title is the only access control, guessing it is guessing
//   a password (nmap's dicom-brute), while a modality retrying one wrong title is a configuration error.
// A success on the same (client, server, protocol) after an alert escalates it to critical.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { formatMac } from '../decode/packet.js';
import { connEvidence, eventEvidence, eventFile, type ConnView, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';

/** NTLM/Negotiate 401s are a normal handshake step; only Basic/Digest 401s are refusals. */
const HTTP_PASSWORD_SCHEMES = new Set(['basic', 'digest']);
/** MySQL ER_ACCESS_DENIED_ERROR. */
const MYSQL_ACCESS_DENIED = 1045;
/** PostgreSQL SQLSTATEs of a refused login: invalid_password, invalid_authorization_specification. */
const POSTGRESQL_LOGIN_REFUSED = new Set(['28P01', '28000']);
const RDP_PORT = 3389;

interface Key {
  ring: number[];
  evidence: Evidence[];
  failures: number;
  /** Time of the latest failure (expiry). */
  last: number;
  /** Distinct secrets (SNMP community digests) or AE title pairs (DICOM) tried: only new ones count. */
  tried: Set<string> | null;
  /** Set once a login succeeded during an alert: why says so from then on. */
  succeeded: string;
}

const PROTO_LABEL: Record<string, string> = {
  ftp: 'FTP',
  telnet: 'Telnet',
  rlogin: 'rlogin',
  ssh: 'SSH',
  ntlm: 'NTLM',
  ldap: 'LDAP',
  http: 'HTTP',
  pop3: 'POP3',
  imap: 'IMAP',
  smtp: 'SMTP',
  socks: 'SOCKS',
  rfb: 'VNC',
  rsync: 'rsync daemon',
  iscsi: 'iSCSI',
  mysql: 'MySQL',
  postgresql: 'PostgreSQL',
  snmp: 'SNMP',
  rdp: 'RDP',
  krb: 'Kerberos',
  mssql: 'SQL Server',
  radius: 'RADIUS',
  rtsp: 'RTSP',
  netlogon: 'Netlogon',
  dicom: 'DICOM',
  eap: '802.1X',
  eapid: '802.1X',
};
/** SQL Server error 18456, "Login failed for user" (MS-TDS ERROR token; the state that says why stays server-side). */
const MSSQL_LOGIN_FAILED = 18456;
/** KRB-ERROR codes of a guess (RFC 4120 §7.5.9): wrong password, and a name the KDC does not know (enumeration). */
const KRB_PREAUTH_FAILED = 24;
const KRB_PRINCIPAL_UNKNOWN = 6;
/** Most distinct SNMP communities or DICOM AE title pairs remembered per (client, server). */
const MAX_TRIED = 64;
/** DICOM A-ASSOCIATE-RJ reasons of an AE title the SCP does not know (PS3.8 §9.3.4, source service-user). */
const DICOM_AE_REFUSED = /^rejected-[a-z]+:(called|calling)-AE-title-not-recognized$/;
/** 802.1X supplicants whose identity and method are remembered (the latest answers win). */
const MAX_EAP_SUPPLICANTS = 4096;

/** What a supplicant last answered: the identity it gave and the method it answered with. */
interface EapSupplicant {
  identity: string;
  method: string;
}

export class BruteForceDetector {
  private readonly keys = new Map<string, Key>();
  private readonly supplicants = new Map<string, EapSupplicant>();
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type === 'eapol.message') {
      this.eap(ev, m);
      return;
    }
    if (c === null) return;
    switch (ev.type) {
      case 'ftp.login':
        if (ev.success === false) this.failure('ftp', c, m, eventEvidence('login-failure', `FTP ${ev.reply_code} for user ${JSON.stringify(ev.user ?? '')}`, 'ftp.reply_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success('ftp', c, m, ev);
        break;
      case 'login.attempt': {
        const svc = ev.service === 'rlogin' ? 'rlogin' : 'telnet';
        if (ev.success === false) this.failure(svc, c, m, eventEvidence('login-failure', `${PROTO_LABEL[svc]} login refused for user ${JSON.stringify(ev.user ?? '')}`, 'login.success', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success(svc, c, m, ev);
        break;
      }
      case 'ssh.auth':
        if (ev.success === false) this.failure('ssh', c, m, eventEvidence('login-failure', `SSH authentication attempt ${ev.attempts} failed (packet-size heuristic)`, 'ssh.auth_success', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success('ssh', c, m, ev);
        break;
      case 'ntlm.auth':
        if (ev.success === false) this.failure('ntlm', c, m, eventEvidence('login-failure', `NTLM authentication failed for ${JSON.stringify(ntlmUser(ev))}${c.service !== '' ? ' over ' + c.service : ''}`, 'ntlm.success', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success('ntlm', c, m, ev);
        break;
      case 'ldap.message':
        if (ev.opcode === 'bind simple' && ev.result === 'invalid credentials') {
          this.failure('ldap', c, m, eventEvidence('login-failure', `LDAP simple bind refused for ${JSON.stringify(ev.object ?? '')}`, 'ldap.result', ev, c, m, eventFile(this.ctx, ev, c, m)));
        } else if (ev.opcode === 'bind simple' && ev.result === 'success') this.success('ldap', c, m, ev);
        break;
      case 'http.transaction': {
        const scheme = String(ev.auth_scheme ?? '').toLowerCase();
        if (ev.password_sent !== true || !HTTP_PASSWORD_SCHEMES.has(scheme)) break;
        if (ev.status_code === 401) {
          this.failure('http', c, m, eventEvidence('login-failure', `HTTP 401 to ${scheme} credentials for user ${JSON.stringify(ev.username ?? '')}`, 'http.status_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
        } else if (typeof ev.status_code === 'number' && ev.status_code >= 200 && ev.status_code < 400) this.success('http', c, m, ev);
        break;
      }
      case 'credential':
        if (ev.protocol === 'pop3' || ev.protocol === 'imap') {
          if (ev.success === false) this.failure(ev.protocol, c, m, eventEvidence('login-failure', `${PROTO_LABEL[ev.protocol]} login refused for user ${JSON.stringify(ev.user ?? '')}`, `${ev.protocol}.auth`, ev, c, m, eventFile(this.ctx, ev, c, m)));
          else if (ev.success === true) this.success(ev.protocol, c, m, ev);
        }
        break;
      case 'smtp.auth':
        if (ev.success === false) this.failure('smtp', c, m, eventEvidence('login-failure', `SMTP AUTH ${ev.mechanism ?? ''} refused for user ${JSON.stringify(ev.user ?? '')}`, 'smtp.auth', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success('smtp', c, m, ev);
        break;
      case 'socks.login':
        if (ev.success === false) this.failure('socks', c, m, eventEvidence('login-failure', `SOCKS5 login refused for user ${JSON.stringify(ev.user ?? '')}`, 'socks.auth_status', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success('socks', c, m, ev);
        break;
      case 'rsync.session':
        // A module that asked for a password (AUTHREQD): refused with "@ERROR: auth failed", or opened.
        if (ev.auth_required !== true) break;
        if (ev.result === 'auth-failed') this.failure('rsync', c, m, eventEvidence('login-failure', `rsync module ${JSON.stringify(ev.module ?? '')} refused user ${JSON.stringify(ev.user ?? '')}`, 'rsync.result', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.result === 'ok') this.success('rsync', c, m, ev);
        break;
      case 'iscsi.session':
        // A CHAP login the target refused (status 0x0201), or let in.
        if (ev.auth_method !== 'CHAP') break;
        if (ev.login_status === 'authentication failure') this.failure('iscsi', c, m, eventEvidence('login-failure', `iSCSI target ${JSON.stringify(ev.target_name ?? '')} refused CHAP user ${JSON.stringify(ev.chap_user ?? '')}`, 'iscsi.login_status', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.logged_in === true) this.success('iscsi', c, m, ev);
        break;
      case 'rfb.auth':
        if (ev.success === false) this.failure('rfb', c, m, eventEvidence('login-failure', `VNC authentication failed (${ev.method ?? 'unknown method'})`, 'rfb.auth', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else if (ev.success === true) this.success('rfb', c, m, ev);
        break;
      case 'dce_rpc.netlogon_authenticate':
        // Only all-zero ClientCredentials: the Zerologon exploit's retries (MS-NRPC 3.5.4.4.2), not a
        // machine account's ordinary secure-channel setup.
        if (ev.zero_credential !== true) break;
        if (ev.status !== 0) this.failure('netlogon', c, m, eventEvidence('login-failure', `${String(ev.operation)} with an all-zero ClientCredential as ${JSON.stringify(ev.account ?? '')} refused (${String(ev.status_name)})`, 'dce_rpc.netlogon_authenticate', ev, c, m, eventFile(this.ctx, ev, c, m)));
        else this.success('netlogon', c, m, ev);
        break;
      case 'mysql.refused':
        if (ev.code === MYSQL_ACCESS_DENIED) this.failure('mysql', c, m, eventEvidence('login-failure', `MySQL access denied (${ev.code})`, 'mysql.error_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
        break;
      case 'krb.transaction':
        // An unknown name asked without pre-authentication carried no password: enumeration
        // (domain.ts), not a guess; with it (a sprayed password), a failed login like a wrong one.
        if (ev.error_code === KRB_PREAUTH_FAILED || (ev.error_code === KRB_PRINCIPAL_UNKNOWN && ev.preauth !== false)) {
          this.failure('krb', c, m, eventEvidence('login-failure', `Kerberos ${String(ev.error_msg)} for ${JSON.stringify(ev.client ?? '')}`, 'krb.error_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
        } else if (ev.success === true && ev.request_type === 'AS') this.success('krb', c, m, ev);
        break;
      case 'postgresql.login':
        if (ev.success === false && POSTGRESQL_LOGIN_REFUSED.has(String(ev.code))) {
          this.failure('postgresql', c, m, eventEvidence('login-failure', `PostgreSQL login refused (${ev.code}) for user ${JSON.stringify(ev.user ?? '')}`, 'postgresql.error_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
        } else if (ev.success === true) this.success('postgresql', c, m, ev);
        break;
      case 'mssql.login':
        if (ev.success === false && ev.error_number === MSSQL_LOGIN_FAILED) {
          this.failure('mssql', c, m, eventEvidence('login-failure', `SQL Server login failed (${MSSQL_LOGIN_FAILED}) for user ${JSON.stringify(ev.username ?? '')}`, 'mssql.error_number', ev, c, m, eventFile(this.ctx, ev, c, m)));
        } else if (ev.success === true) this.success('mssql', c, m, ev);
        break;
      case 'radius.auth': {
        // A NAS (or a proxy) speaks for many users: the key is the user on the NAS, not the NAS alone.
        const who = radiusWho(ev, c);
        if (ev.result === 'failed') {
          const e = eventEvidence('login-failure', `RADIUS Access-Reject for user ${JSON.stringify(ev.username ?? '')} on NAS ${String(ev.nas ?? origAddr(c))}`, 'radius.result', ev, c, m, eventFile(this.ctx, ev, c, m));
          this.record('radius', origAddr(c), respAddr(c), c.origMac === 0 ? null : formatMac(c.origMac), m.ts, e, this.threshold('radius'), who);
        } else if (ev.result === 'success') this.success('radius', c, m, ev, who);
        break;
      }
      case 'rtsp.transaction':
        // A camera refusing credentials sent (Basic, Digest, or user:password in the URI).
        if (ev.status_code === 401 && (ev.password_sent === true || ev.auth_scheme !== undefined)) {
          this.failure('rtsp', c, m, eventEvidence('login-failure', `RTSP 401 to ${String(ev.auth_scheme ?? 'URI')} credentials for user ${JSON.stringify(ev.username ?? '')}`, 'rtsp.status_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
        } else if (ev.auth_scheme !== undefined && typeof ev.status_code === 'number' && ev.status_code >= 200 && ev.status_code < 300) this.success('rtsp', c, m, ev);
        break;
      case 'snmp.community':
        this.community(c, m, ev);
        break;
      case 'dicom.associate':
        if (ev.accepted === true) this.success('dicom', c, m, ev);
        else if (typeof ev.result === 'string' && DICOM_AE_REFUSED.test(ev.result)) this.aeTitle(c, m, ev);
        break;
      default:
        break;
    }
  }

  /** RDP: the logon outcome is inside TLS/CredSSP, so a short connection the server said little on stands for a failure. */
  onConn(v: ConnView): void {
    if (!v.tcp || !v.answered || !(v.rPort === RDP_PORT || hasService(v.service, 'rdp'))) return;
    const cfg = this.ctx.cfg;
    if (v.end - v.start >= cfg.rdpShortSecs || v.respBytes >= cfg.rdpShortRespBytes) return;
    const ev = connEvidence(v, 'short-rdp-session');
    this.record('rdp', v.orig, v.resp, v.origMac, v.end, ev);
  }

  private community(c: Conn, m: PacketMeta, ev: AppEvent): void {
    const client = String(ev.client ?? origAddr(c));
    const server = String(ev.server ?? respAddr(c));
    const n = this.tryNew(`${client}|${server}|snmp`, String(ev.secret ?? ''));
    if (n === 0) return;
    const e = eventEvidence('community-tried', `SNMPv${ev.version ?? '?'} community #${n} tried on ${server}`, 'snmp.community', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.record('snmp', client, server, c.origMac === 0 ? null : formatMac(c.origMac), m.ts, e, this.ctx.cfg.snmpCommunityThreshold);
  }

  /** A refused DICOM association: counts when its (calling, called) AE title pair is new on this SCP. */
  private aeTitle(c: Conn, m: PacketMeta, ev: AppEvent): void {
    const client = origAddr(c);
    const server = respAddr(c);
    const calling = String(ev.calling_ae ?? '');
    const called = String(ev.called_ae ?? '');
    if (this.tryNew(`${client}|${server}|dicom`, `${calling}\u0000${called}`) === 0) return;
    const e = eventEvidence('login-failure', `DICOM association ${JSON.stringify(calling)} -> ${JSON.stringify(called)} ${String(ev.result)}`, 'dicom.result', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.failure('dicom', c, m, e);
  }

  /**
   * An 802.1X frame. A supplicant answers to the PAE group address, so its identity and method are
   * kept by its MAC; the authenticator's verdict goes to the supplicant's own MAC (the key: the
   * supplicant on that authenticator). A verdict to a group address names nobody and is skipped.
   */
  private eap(ev: AppEvent, m: PacketMeta): void {
    const src = typeof ev.mac_src === 'string' ? ev.mac_src : '';
    const dst = typeof ev.mac_dst === 'string' ? ev.mac_dst : '';
    if (src === '' || dst === '') return;
    const code = ev.eap_code;
    if (code === 'response') {
      const type = typeof ev.eap_type === 'string' ? ev.eap_type : '';
      if (type === '' || type === 'nak' || type === 'notification') return;
      let s = this.supplicants.get(src);
      if (s === undefined) {
        if (this.supplicants.size >= MAX_EAP_SUPPLICANTS) evictOldest(this.supplicants);
        s = { identity: '', method: '' };
        this.supplicants.set(src, s);
      }
      if (type === 'identity') s.identity = typeof ev.identity === 'string' ? ev.identity : '';
      else s.method = type;
      if (typeof ev.leap_user === 'string') s.identity = ev.leap_user;
      return;
    }
    if ((code !== 'failure' && code !== 'success') || (parseInt(dst.slice(0, 2), 16) & 1) !== 0) return;
    const s = this.supplicants.get(dst);
    const as = s !== undefined && s.identity !== '' ? ` as ${JSON.stringify(s.identity)}` : '';
    const method = s !== undefined && s.method !== '' ? ` (EAP-${s.method.toUpperCase()})` : '';
    const file = this.ctx.file(m.fileIndex);
    const device = `mac:${dst}`;
    // The identity across supplicant MACs: a guesser that changes its MAC for every try (past the
    // port's quiet period and per-station lockouts) is one failure per MAC, so its distinct MACs
    // are counted per identity and authenticator (`eapid`; one MAC failing again adds nothing).
    const id = s !== undefined && s.identity !== '' ? JSON.stringify(s.identity) : '';
    if (code === 'failure') {
      const e = eventEvidence('login-failure', `802.1X EAP-Failure from ${src} to ${dst}${as}${method}`, 'eapol.eap_code', ev, null, m, file);
      this.record('eap', dst, src, dst, m.ts, e, this.threshold('eap'), '', device);
      if (id !== '' && this.tryNew(`${id}|${src}|eapid`, dst) > 0) this.record('eapid', id, src, dst, m.ts, e, this.threshold('eap'), '', device);
      return;
    }
    for (const [key, client, proto] of [[`${dst}|${src}|eap`, dst, 'eap'], [`${id}|${src}|eapid`, id, 'eapid']]) {
      if (proto === 'eapid' && id === '') continue;
      const open = this.ctx.book.get('brute-force', key);
      const k = this.keys.get(key);
      if (open === undefined || k === undefined) continue;
      const after = proto === 'eap' ? `after ${open.count} failures` : `after ${open.count} other MACs were refused as ${id}`;
      const e = eventEvidence('login-success', `802.1X EAP-Success from ${src} to ${dst}${as}${method} ${after}`, 'eapol.eap_code', ev, null, m, file);
      this.ctx.book.observe({
        rule: 'brute-force',
        key,
        device: open.device,
        peer: src,
        ts: m.ts,
        inc: 0,
        severity: 'critical',
        why: this.why(PROTO_LABEL.eap, client, src, open.count, proto) + (k.succeeded = `; then the port authorized ${proto === 'eap' ? 'it' : dst} (packet ${e.packet}): the guessed password works`),
        evidence: [e],
        pin: true,
      });
    }
  }

  /** Adds `token` to the key's distinct set; the set's new size, or 0 when seen before (or full). */
  private tryNew(key: string, token: string): number {
    const k = this.key(key);
    if (k === null) return 0;
    if (k.tried === null) k.tried = new Set();
    if (k.tried.has(token) || k.tried.size >= MAX_TRIED) return 0;
    k.tried.add(token);
    return k.tried.size;
  }

  private key(k: string): Key | null {
    let s = this.keys.get(k);
    if (s === undefined) {
      if (this.keys.size >= this.ctx.cfg.maxSources) {
        evictOldest(this.keys);
        this.evicted++;
      }
      s = { ring: [], evidence: [], failures: 0, last: -Infinity, tried: null, succeeded: '' };
      this.keys.set(k, s);
    }
    return s;
  }

  private failure(proto: string, c: Conn, m: PacketMeta, e: Evidence): void {
    this.record(proto, origAddr(c), respAddr(c), c.origMac === 0 ? null : formatMac(c.origMac), m.ts, e);
  }

  /** `who` narrows the key below the client (a RADIUS user on its NAS); `device` overrides the client's device (802.1X: its MAC). */
  private record(proto: string, client: string, server: string, mac: string | null, ts: number, e: Evidence, threshold = this.threshold(proto), who = '', device = ''): void {
    const cfg = this.ctx.cfg;
    const key = who === '' ? `${client}|${server}|${proto}` : `${client}|${server}|${proto}|${who}`;
    const k = this.key(key);
    if (k === null) return;
    k.failures++;
    if (ts > k.last) k.last = ts;
    const open = this.ctx.book.get('brute-force', key);
    const label = PROTO_LABEL[proto] ?? proto;
    if (open !== undefined) {
      this.ctx.book.observe({ rule: 'brute-force', key, device: open.device, peer: server, ts, inc: 1, why: this.why(label, client, server, open.count + 1, proto, who) + k.succeeded, evidence: [e] });
      return;
    }
    k.ring.push(ts);
    k.evidence.push(e);
    while (k.ring.length > threshold) {
      k.ring.shift();
      k.evidence.shift();
    }
    if (k.ring.length >= threshold && k.ring[k.ring.length - 1] - k.ring[0] <= cfg.bruteWindowSecs) {
      const evidence = k.evidence.slice(0, cfg.maxEvidence);
      k.ring = [];
      k.evidence = [];
      this.ctx.book.observe({
        rule: 'brute-force',
        key,
        device: device !== '' ? device : this.ctx.deviceId(client, mac),
        peer: server,
        ts,
        count: threshold,
        why: this.why(label, client, server, threshold, proto, who),
        evidence,
      });
    }
  }

  /**
   * Forgets keys that can no longer matter (housekeeping, network time `now`): no open alert and
   * no failure for twice the window, so none of theirs could join a new one within the window
   * (the second window allows for failures reported late). SNMP keys are kept: they count the
   * distinct communities ever tried on an agent (a DICOM key's AE titles are forgotten with it).
   */
  expire(now: number): void {
    const horizon = 2 * this.ctx.cfg.bruteWindowSecs;
    for (const [key, k] of this.keys) {
      if (!key.endsWith('|snmp') && now - k.last > horizon && this.ctx.book.get('brute-force', key) === undefined) this.keys.delete(key);
    }
  }

  private threshold(proto: string): number {
    return this.ctx.cfg.bruteThresholds[proto] ?? this.ctx.cfg.bruteThreshold;
  }

  private why(label: string, client: string, server: string, n: number, proto: string, who = ''): string {
    const cfg = this.ctx.cfg;
    if (proto === 'radius') return `${who} was refused ${n} times by RADIUS server ${server} (Access-Reject; password guessing; threshold ${this.threshold(proto)} in ${cfg.bruteWindowSecs} s)`;
    if (proto === 'snmp') return `${client} tried ${n} different SNMP communities on ${server} (community guessing; threshold ${cfg.snmpCommunityThreshold} in ${cfg.bruteWindowSecs} s)`;
    if (proto === 'netlogon') return `${client} sent ${n} netlogon authentications with an all-zero credential to ${server}, refused (Zerologon, CVE-2020-1472; threshold ${this.threshold(proto)} in ${cfg.bruteWindowSecs} s)`;
    if (proto === 'dicom') return `${client} tried ${n} different AE titles on DICOM server ${server}, refused as not recognized (AE title guessing: where the called AE title is the only access control it is the password; threshold ${this.threshold(proto)} in ${cfg.bruteWindowSecs} s)`;
    if (proto === 'eap') {
      const s = this.supplicants.get(client);
      const as = s !== undefined && s.identity !== '' ? ` as ${JSON.stringify(s.identity)}` : '';
      const method = s !== undefined && s.method !== '' ? ` with EAP-${s.method.toUpperCase()}` : '';
      return `${client} was refused ${n} times by 802.1X authenticator ${server}${as}${method} (EAP-Failure: password guessing, or a device retrying a wrong or expired credential, which keeps it off the network either way; threshold ${this.threshold(proto)} in ${cfg.bruteWindowSecs} s)`;
    }
    if (proto === 'eapid') {
      return `${n} different supplicant MACs were refused by 802.1X authenticator ${server} as ${client} (EAP-Failure: one device guessing the password while changing its MAC for every try, past the port's quiet period and per-station lockouts — or a shared credential, changed on the server and not on the devices, failing on that many of them; threshold ${this.threshold('eap')} MACs in ${cfg.bruteWindowSecs} s)`;
    }
    if (proto === 'rdp') return `${client} made ${n} short RDP connections to ${server} that the server ended quickly (logon failures; threshold ${this.threshold(proto)} in ${cfg.bruteWindowSecs} s)`;
    return `${client} failed ${n} ${label} logins on ${server} (password guessing; threshold ${this.threshold(proto)} in ${cfg.bruteWindowSecs} s)`;
  }

  private success(proto: string, c: Conn, m: PacketMeta, ev: AppEvent, who = ''): void {
    const client = origAddr(c);
    const server = respAddr(c);
    const key = who === '' ? `${client}|${server}|${proto}` : `${client}|${server}|${proto}|${who}`;
    const open = this.ctx.book.get('brute-force', key);
    const k = this.keys.get(key);
    if (open === undefined || k === undefined) return;
    const dicom = proto === 'dicom';
    const e = dicom
      ? eventEvidence('login-success', `DICOM association ${JSON.stringify(String(ev.calling_ae ?? ''))} -> ${JSON.stringify(String(ev.called_ae ?? ''))} accepted after ${open.count} refused AE titles`, 'dicom.result', ev, c, m, eventFile(this.ctx, ev, c, m))
      : eventEvidence('login-success', `${PROTO_LABEL[proto] ?? proto} login succeeded after ${open.count} failures`, `${proto}.success`, ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'brute-force',
      key,
      device: open.device,
      peer: server,
      ts: m.ts,
      inc: 0,
      severity: 'critical',
      why: this.why(PROTO_LABEL[proto] ?? proto, client, server, open.count, proto, who) + (k.succeeded = dicom ? `; then an association was accepted (packet ${e.packet}): the guessed AE title works` : `; then a login succeeded (packet ${e.packet}): the guessed password works`),
      evidence: [e],
      pin: true,
    });
  }

  size(): number {
    return this.keys.size;
  }
}

/** Whether a comma-separated service list names `name`. */
export function hasService(list: string, name: string): boolean {
  if (list === '') return false;
  if (list === name) return true;
  return list.split(',').includes(name);
}

/** A RADIUS user on its NAS (NAS-IP-Address or NAS-Identifier, else the packet's source). */
function radiusWho(ev: AppEvent, c: Conn): string {
  return `user ${JSON.stringify(typeof ev.username === 'string' ? ev.username : '')} on NAS ${typeof ev.nas === 'string' ? ev.nas : origAddr(c)}`;
}

function ntlmUser(ev: AppEvent): string {
  const u = typeof ev.username === 'string' ? ev.username : '';
  const d = typeof ev.domainname === 'string' && ev.domainname !== '' ? ev.domainname + '\\' : '';
  return d + u;
}
