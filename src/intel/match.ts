// Where traffic is checked against the intel indicators, with Zeek's "seen" locations
// (policy/frameworks/intel/seen): each analyzer event offers its values (a DNS query name, an
// HTTP Host header and URL, a TLS server name, a certificate's names and hash, an SSH server's
// host key, e-mail addresses, user names, a file's hashes and name) and a connection its two
// addresses. A match becomes an `intel.seen` event, logged as Zeek's intel.log and turned into a
// finding on the internal host involved. Events of other types cost one Set probe; only values of
// indicator types the loaded feeds hold are looked up at all.
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import { PROTO_TCP } from '../flow/conn.js';
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
  [k: string]: unknown;
}

type Emit = (ev: IntelSeen, c: Conn | null, m: PacketMeta) => void;

/** The analyzer events that carry values intel looks at. */
const SEEN_TYPES = new Set(['dns.transaction', 'http.transaction', 'ssl.client_hello', 'ssl.certificate', 'smtp.transaction', 'files.file', 'ssh.host_key', 'ftp.login', 'credential']);

interface FileRef {
  fuid?: string;
  mime?: string;
  desc?: string;
}

export class IntelMatcher {
  /** The event being looked at: its time, packet, connection and packet record (set per event, so no closure is made). */
  private tsSec = 0;
  private tsNsec = 0;
  private packet = 0;
  private c: Conn | null = null;
  private m: PacketMeta | null = null;

  constructor(
    private readonly intel: IntelSet,
    private readonly emit: Emit,
  ) {}

  /** One analyzer event: the values it carries, at Zeek's seen locations. */
  event(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (!SEEN_TYPES.has(ev.type)) return;
    if (typeof ev.tsSec === 'number') {
      this.tsSec = ev.tsSec;
      this.tsNsec = typeof ev.tsNsec === 'number' ? ev.tsNsec : 0;
    } else if (typeof ev.ts_sec === 'number') {
      this.tsSec = ev.ts_sec;
      this.tsNsec = typeof ev.ts_nsec === 'number' ? ev.ts_nsec : 0;
    } else {
      this.tsSec = m.tsSec;
      this.tsNsec = m.tsNsec;
    }
    this.packet = typeof ev.packet === 'number' && ev.packet > 0 ? ev.packet : m.packetNo;
    this.c = c;
    this.m = m;
    switch (ev.type) {
      case 'dns.transaction':
        this.hit('DOMAIN', ev.query, 'DNS::IN_REQUEST');
        return;
      case 'http.transaction': {
        const host = typeof ev.host === 'string' ? ev.host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : undefined;
        if (host !== undefined) {
          // A Host header that is an address is checked as one (Zeek: HTTP::IN_HOST_HEADER, Intel::ADDR).
          if (/^[\d.]+$|:/.test(host)) {
            const w = addrWords(host);
            if (w !== null) this.addr(w, formatAddr(w[0], w[1], w[2], w[3]), 'HTTP::IN_HOST_HEADER');
          } else this.hit('DOMAIN', host, 'HTTP::IN_HOST_HEADER');
        }
        if (typeof ev.host === 'string' && typeof ev.uri === 'string') this.hit('URL', `${ev.host}${ev.uri}`, 'HTTP::IN_URL');
        this.hit('SOFTWARE', ev.user_agent, 'HTTP::IN_USER_AGENT_HEADER');
        this.hit('USER_NAME', ev.username, 'HTTP::IN_USER_NAME');
        return;
      }
      case 'ssl.client_hello':
        this.hit('DOMAIN', ev.server_name, 'SSL::IN_SERVER_NAME');
        return;
      case 'ssl.certificate': {
        const x = ev.cert as { sha1?: string; fingerprint?: string; san_dns?: string[]; san_email?: string[]; subject_cn?: string[] } | undefined;
        if (x === undefined) return;
        const desc = c === null ? undefined : `${formatAddr(c.r0, c.r1, c.r2, c.r3)}:${c.rPort}/${c.proto === PROTO_TCP ? 'tcp' : 'udp'}`;
        const file: FileRef = { mime: ev.index === 0 ? 'application/x-x509-user-cert' : 'application/x-x509-ca-cert', desc };
        // Zeek's CERT_HASH is the SHA-1 of the certificate; a SHA-256 listing matches too.
        this.hit('CERT_HASH', x.sha1, 'X509::IN_CERT', file);
        this.hit('CERT_HASH', x.fingerprint, 'X509::IN_CERT', file);
        for (const d of x.san_dns ?? []) this.hit('DOMAIN', d, 'X509::IN_CERT', file);
        // The subject's common name too, as Zeek's x509 seen script does (it cites no file details for it).
        for (const cn of x.subject_cn ?? []) this.hit('DOMAIN', cn, 'X509::IN_CERT');
        for (const a of x.san_email ?? []) this.hit('EMAIL', a, 'X509::IN_CERT', file);
        return;
      }
      case 'smtp.transaction':
        this.mails(ev.mailfrom, 'SMTP::IN_MAIL_FROM');
        this.mails(ev.rcptto, 'SMTP::IN_RCPT_TO');
        this.mails(ev.from, 'SMTP::IN_FROM');
        this.mails(ev.to, 'SMTP::IN_TO');
        this.mails(ev.cc, 'SMTP::IN_CC');
        this.mails(ev.reply_to, 'SMTP::IN_REPLY_TO');
        this.hit('SOFTWARE', ev.user_agent, 'SMTP::IN_HEADER');
        return;
      case 'files.file': {
        const file: FileRef = { fuid: ev.fuid as string, mime: ev.mime_type as string | undefined, desc: ev.filename as string | undefined };
        this.hit('FILE_HASH', ev.md5, 'Files::IN_HASH', file);
        this.hit('FILE_HASH', ev.sha1, 'Files::IN_HASH', file);
        this.hit('FILE_HASH', ev.sha256, 'Files::IN_HASH', file);
        if (typeof ev.filename === 'string') {
          // SMB names carry their directory; Zeek looks at the last component (SMB::IN_FILE_NAME).
          const smb = ev.source === 'SMB';
          this.hit('FILE_NAME', smb ? ev.filename.replace(/^.*\\/, '') : ev.filename, smb ? 'SMB::IN_FILE_NAME' : 'Files::IN_NAME', file);
        }
        return;
      }
      case 'ssh.host_key':
        // Zeek's PUBKEY_HASH: the server host key's MD5 fingerprint (colon-separated); a SHA256: one matches too.
        this.hit('PUBKEY_HASH', ev.fingerprint, 'SSH::IN_SERVER_HOST_KEY');
        this.hit('PUBKEY_HASH', ev.fingerprint_sha256, 'SSH::IN_SERVER_HOST_KEY');
        return;
      case 'ftp.login':
      case 'credential':
        this.hit('USER_NAME', ev.user, ev.type === 'ftp.login' ? 'FTP::IN_USER' : 'Intel::IN_ANYWHERE');
        return;
    }
  }

  /** A connection that ended: its addresses (Zeek's Conn::IN_ORIG / Conn::IN_RESP, on established connections). */
  conn(c: Conn, m: PacketMeta): void {
    const I = this.intel;
    if (!I.has('ADDR') && !I.has('SUBNET')) return;
    // Zeek checks a connection once it is established; a datagram flow once it was answered.
    if (c.proto === PROTO_TCP ? !c.handshakeDone : c.respPkts === 0) return;
    this.tsSec = c.startSec;
    this.tsNsec = c.startNsec;
    this.packet = c.firstPacket;
    this.c = c;
    this.m = m;
    this.addr([c.o0, c.o1, c.o2, c.o3], formatAddr(c.o0, c.o1, c.o2, c.o3), 'Conn::IN_ORIG');
    this.addr([c.r0, c.r1, c.r2, c.r3], formatAddr(c.r0, c.r1, c.r2, c.r3), 'Conn::IN_RESP');
  }

  /** A value of the current event, looked up when the feeds list its type. */
  private hit(type: Exclude<IndicatorType, 'SUBNET' | 'ADDR'>, value: unknown, where: string, file?: FileRef): void {
    if (typeof value !== 'string' || value === '' || !this.intel.has(type)) return;
    const e = this.intel.lookup(type, value);
    if (e !== undefined) this.report(e, value, type, where, file);
  }

  /** An address: listed itself, or else inside the most specific listed subnet. */
  private addr(w: readonly [number, number, number, number], text: string, where: string): void {
    const I = this.intel;
    const e = (I.has('ADDR') ? I.lookup('ADDR', text) : undefined) ?? (I.has('SUBNET') ? I.lookupSubnet(w) : undefined);
    if (e !== undefined) this.report(e, text, 'ADDR', where);
  }

  /** The e-mail addresses of an SMTP field (one value or a list). */
  private mails(v: unknown, where: string): void {
    if (!this.intel.has('EMAIL')) return;
    for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string') for (const a of extractEmails(s, 100)) this.hit('EMAIL', a, where);
  }

  private report(e: IntelEntry, value: string, type: IndicatorType, where: string, file?: FileRef): void {
    const ev: IntelSeen = { type: 'intel.seen', tsSec: this.tsSec, tsNsec: this.tsNsec, packet: this.packet, indicator: value, indicator_type: type, where, matched: e.indicator, matched_type: e.type, sources: e.sources };
    if (e.desc !== undefined) ev.desc = e.desc;
    if (file?.fuid !== undefined) ev.fuid = file.fuid;
    if (file?.mime !== undefined) ev.file_mime_type = file.mime;
    if (file?.desc !== undefined) ev.file_desc = file.desc;
    this.emit(ev, this.c, this.m!);
  }
}
