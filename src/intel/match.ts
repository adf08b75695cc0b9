// Where traffic is checked against the intel indicators, with Zeek's "seen" locations
// (policy/frameworks/intel/seen): each analyzer event offers its values (a DNS query name, an
// HTTP Host header and URL, a TLS server name, a certificate's names and hash, an SSH server's
// host key, e-mail addresses, user names, a file's hashes and name) and a connection its two
// addresses. A match becomes an
// `intel.seen` event, logged as Zeek's intel.log and turned into a finding on the internal host
// involved. Only values of indicator types the loaded feeds hold are looked up at all.
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import { PROTO_TCP } from '../flow/conn.js';
import { connUid } from '../flow/uid.js';
import { formatAddr, type PacketMeta } from '../decode/packet.js';
import { extractEmails } from '../analyzers/smtp/parse.js';
import { addrWords } from '../monitor/net.js';
import type { IndicatorType, IntelEntry, IntelSet } from './intel.js';

/** A match: one intel.log line. */
export interface IntelSeen {
  type: 'intel.seen';
  tsSec: number;
  tsNsec: number;
  packet: number;
  indicator: string;
  indicator_type: IndicatorType;
  /** Zeek's Intel::Where name (DNS::IN_REQUEST, HTTP::IN_HOST_HEADER, Files::IN_HASH …). */
  where: string;
  /** The indicator as the feed listed it (a subnet, for an address that lies in one). */
  matched: string;
  matched_type: IndicatorType;
  sources: string[];
  desc?: string;
  fuid?: string;
  file_mime_type?: string;
  file_desc?: string;
  /** Both addresses of the connection, for the finding on the internal one. */
  orig_h?: string;
  resp_h?: string;
  [k: string]: unknown;
}

type Emit = (ev: IntelSeen, c: Conn | null, m: PacketMeta) => void;

function tsOf(ev: AppEvent, m: PacketMeta): [number, number] {
  if (typeof ev.tsSec === 'number') return [ev.tsSec, typeof ev.tsNsec === 'number' ? ev.tsNsec : 0];
  if (typeof ev.ts_sec === 'number') return [ev.ts_sec, typeof ev.ts_nsec === 'number' ? ev.ts_nsec : 0];
  return [m.tsSec, m.tsNsec];
}

export class IntelMatcher {
  /** Matches reported (their events), for the run's summary. */
  hits = 0;

  constructor(
    private readonly intel: IntelSet,
    private readonly emit: Emit,
  ) {}

  /** One analyzer event: the values it carries, at Zeek's seen locations. */
  event(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    const I = this.intel;
    const [tsSec, tsNsec] = tsOf(ev, m);
    const packet = typeof ev.packet === 'number' && ev.packet > 0 ? ev.packet : m.packetNo;
    const hit = (type: Exclude<IndicatorType, 'SUBNET'>, value: unknown, where: string, file?: { fuid?: string; mime?: string; desc?: string }): void => {
      if (typeof value !== 'string' || value === '' || !I.has(type)) return;
      const e = I.lookup(type, value);
      if (e !== undefined) this.report(e, value, type, where, tsSec, tsNsec, packet, c, m, file);
    };
    switch (ev.type) {
      case 'dns.transaction':
        hit('DOMAIN', ev.query, 'DNS::IN_REQUEST');
        return;
      case 'http.transaction': {
        const host = typeof ev.host === 'string' ? ev.host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : undefined;
        if (host !== undefined) {
          // A Host header that is an address is checked as one (Zeek: HTTP::IN_HOST_HEADER, Intel::ADDR).
          if (/^[\d.]+$|:/.test(host)) {
            hit('ADDR', host, 'HTTP::IN_HOST_HEADER');
            this.subnet(host, 'HTTP::IN_HOST_HEADER', tsSec, tsNsec, packet, c, m);
          } else hit('DOMAIN', host, 'HTTP::IN_HOST_HEADER');
        }
        if (typeof ev.host === 'string' && typeof ev.uri === 'string') hit('URL', `${ev.host}${ev.uri}`, 'HTTP::IN_URL');
        hit('SOFTWARE', ev.user_agent, 'HTTP::IN_USER_AGENT_HEADER');
        hit('USER_NAME', ev.username, 'HTTP::IN_USER_NAME');
        return;
      }
      case 'ssl.client_hello':
        hit('DOMAIN', ev.server_name, 'SSL::IN_SERVER_NAME');
        return;
      case 'ssl.certificate': {
        const x = ev.cert as { sha1?: string; fingerprint?: string; san_dns?: string[]; san_email?: string[]; subject_cn?: string[] } | undefined;
        if (x === undefined) return;
        const desc = c === null ? undefined : `${formatAddr(c.r0, c.r1, c.r2, c.r3)}:${c.rPort}/${c.proto === PROTO_TCP ? 'tcp' : 'udp'}`;
        const file = { mime: ev.index === 0 ? 'application/x-x509-user-cert' : 'application/x-x509-ca-cert', desc };
        // Zeek's CERT_HASH is the SHA-1 of the certificate; a SHA-256 listing matches too.
        if (x.sha1 !== undefined) hit('CERT_HASH', x.sha1, 'X509::IN_CERT', file);
        if (x.fingerprint !== undefined) hit('CERT_HASH', x.fingerprint, 'X509::IN_CERT', file);
        for (const d of x.san_dns ?? []) hit('DOMAIN', d, 'X509::IN_CERT', file);
        // The subject's common name too, as Zeek's x509 seen script does (it cites no file details for it).
        for (const cn of x.subject_cn ?? []) hit('DOMAIN', cn, 'X509::IN_CERT');
        for (const a of x.san_email ?? []) hit('EMAIL', a, 'X509::IN_CERT', file);
        return;
      }
      case 'smtp.transaction': {
        const mails = (v: unknown, where: string): void => {
          const list = Array.isArray(v) ? v : [v];
          for (const s of list) if (typeof s === 'string') for (const a of extractEmails(s, 100)) hit('EMAIL', a, where);
        };
        mails(ev.mailfrom, 'SMTP::IN_MAIL_FROM');
        mails(ev.rcptto, 'SMTP::IN_RCPT_TO');
        mails(ev.from, 'SMTP::IN_FROM');
        mails(ev.to, 'SMTP::IN_TO');
        mails(ev.cc, 'SMTP::IN_CC');
        mails(ev.reply_to, 'SMTP::IN_REPLY_TO');
        hit('SOFTWARE', ev.user_agent, 'SMTP::IN_HEADER');
        return;
      }
      case 'files.file': {
        const file = { fuid: ev.fuid as string, mime: ev.mime_type as string | undefined, desc: (ev.filename as string | undefined) ?? undefined };
        for (const h of [ev.md5, ev.sha1, ev.sha256]) hit('FILE_HASH', h, 'Files::IN_HASH', file);
        if (typeof ev.filename === 'string') {
          // SMB names carry their directory; Zeek looks at the last component (SMB::IN_FILE_NAME).
          const smb = ev.source === 'SMB';
          hit('FILE_NAME', smb ? ev.filename.replace(/^.*\\/, '') : ev.filename, smb ? 'SMB::IN_FILE_NAME' : 'Files::IN_NAME', file);
        }
        return;
      }
      case 'ssh.host_key':
        // Zeek's PUBKEY_HASH: the server host key's MD5 fingerprint (colon-separated); a SHA256: one matches too.
        hit('PUBKEY_HASH', ev.fingerprint, 'SSH::IN_SERVER_HOST_KEY');
        hit('PUBKEY_HASH', ev.fingerprint_sha256, 'SSH::IN_SERVER_HOST_KEY');
        return;
      case 'ftp.login':
      case 'credential':
        hit('USER_NAME', ev.user, ev.type === 'ftp.login' ? 'FTP::IN_USER' : 'Intel::IN_ANYWHERE');
        return;
    }
  }

  /** A connection that ended: its addresses (Zeek's Conn::IN_ORIG / Conn::IN_RESP, on established connections). */
  conn(c: Conn, m: PacketMeta): void {
    const I = this.intel;
    if (!I.has('ADDR') && !I.has('SUBNET')) return;
    // Zeek checks a connection once it is established; a datagram flow once it was answered.
    if (c.proto === PROTO_TCP ? !c.handshakeDone : c.respPkts === 0) return;
    const packet = c.firstPacket;
    for (const [w, where] of [
      [[c.o0, c.o1, c.o2, c.o3], 'Conn::IN_ORIG'],
      [[c.r0, c.r1, c.r2, c.r3], 'Conn::IN_RESP'],
    ] as [[number, number, number, number], string][]) {
      const a = formatAddr(w[0], w[1], w[2], w[3]);
      const e = I.has('ADDR') ? I.lookup('ADDR', a) : undefined;
      if (e !== undefined) this.report(e, a, 'ADDR', where, c.startSec, c.startNsec, packet, c, m);
      else this.subnetWords(w, a, where, c.startSec, c.startNsec, packet, c, m);
    }
  }

  private subnet(addr: string, where: string, tsSec: number, tsNsec: number, packet: number, c: Conn | null, m: PacketMeta): void {
    if (!this.intel.has('SUBNET')) return;
    const e = this.intel.lookup('ADDR', addr);
    if (e !== undefined) return;
    const w = addrWords(addr);
    if (w !== null) this.subnetWords(w, addr, where, tsSec, tsNsec, packet, c, m);
  }

  private subnetWords(w: [number, number, number, number], a: string, where: string, tsSec: number, tsNsec: number, packet: number, c: Conn | null, m: PacketMeta): void {
    if (!this.intel.has('SUBNET')) return;
    const e = this.intel.lookupSubnet(w);
    if (e !== undefined) this.report(e, a, 'ADDR', where, tsSec, tsNsec, packet, c, m);
  }

  private report(e: IntelEntry, value: string, type: IndicatorType, where: string, tsSec: number, tsNsec: number, packet: number, c: Conn | null, m: PacketMeta, file?: { fuid?: string; mime?: string; desc?: string }): void {
    this.hits++;
    const ev: IntelSeen = { type: 'intel.seen', tsSec, tsNsec, packet, indicator: value, indicator_type: type, where, matched: e.indicator, matched_type: e.type, sources: e.sources };
    if (e.desc !== undefined) ev.desc = e.desc;
    if (file?.fuid !== undefined) ev.fuid = file.fuid;
    if (file?.mime !== undefined) ev.file_mime_type = file.mime;
    if (file?.desc !== undefined) ev.file_desc = file.desc;
    if (c !== null) {
      ev.orig_h = formatAddr(c.o0, c.o1, c.o2, c.o3);
      ev.resp_h = formatAddr(c.r0, c.r1, c.r2, c.r3);
      ev.uid = connUid(c);
    }
    this.emit(ev, c, m);
  }
}
