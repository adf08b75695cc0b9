// Per-flow RADIUS state. Every datagram is one message (RFC 2865 §3), emitted as
// `radius.message`. Authentication exchanges are paired as Zeek's radius.log does
// (base/protocols/radius/main.zeek): the first message opens a record, Access-Request fills
// username/mac/tunnel_client/connect_info, Access-Challenge framed_addr/reply_msg (first value
// wins), Access-Accept/-Reject close it with result success/failed and ttl = time since the
// first message; a record still open when the flow ends is logged with result unknown.
// Zeek keeps one record per connection; a NAS that multiplexes users over one source port
// would mix them, so here a request joins the open exchange of its User-Name (or its
// Identifier) and a reply closes the exchange holding its Identifier. With one conversation on
// the flow this is exactly Zeek's pairing.
// Accept and Accounting-Request also give `radius.binding` (MAC ↔ name ↔ address) for the
// inventory. User-Password and CHAP-Password are hidden with the shared secret (RFC 2865 §5.2,
// §5.3): only their presence is recorded.
import { isUtf8 } from 'node:buffer';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { escapeBytes, ipv4At, ipv6At } from '../l2text.js';
import type { RadiusAuthEvent, RadiusBindingEvent, RadiusMessageEvent } from './events.js';
import {
  ATTR_ACCT_SESSION_ID,
  ATTR_ACCT_STATUS_TYPE,
  ATTR_CALLED_STATION_ID,
  ATTR_CALLING_STATION_ID,
  ATTR_CHAP_PASSWORD,
  ATTR_CONNECT_INFO,
  ATTR_EAP_MESSAGE,
  ATTR_ERROR_CAUSE,
  ATTR_FRAMED_IP_ADDRESS,
  ATTR_NAS_IDENTIFIER,
  ATTR_NAS_IP_ADDRESS,
  ATTR_NAS_IPV6_ADDRESS,
  ATTR_NAS_PORT,
  ATTR_NAS_PORT_ID,
  ATTR_NAS_PORT_TYPE,
  ATTR_REPLY_MESSAGE,
  ATTR_SERVICE_TYPE,
  ATTR_TUNNEL_CLIENT_ENDPOINT,
  ATTR_USER_NAME,
  ATTR_USER_PASSWORD,
  ATTR_VENDOR_SPECIFIC,
  CODE_ACCESS_ACCEPT,
  CODE_ACCESS_CHALLENGE,
  CODE_ACCESS_REJECT,
  CODE_ACCESS_REQUEST,
  CODE_ACCOUNTING_REQUEST,
  CODE_NAMES,
  attrUint32,
  normalizeMac,
  parseRadius,
  type RadiusAttribute,
  type RadiusMessage,
} from './parse.js';

/** Open authentication exchanges kept per flow; the oldest is logged as unknown past this. */
const MAX_OPEN = 64;
/** Vendor ids listed per message. */
const MAX_VENDORS = 16;
const IPV4_LEN = 4;
const IPV6_LEN = 16;
/**
 * Framed-IP-Address values that are instructions, not addresses (RFC 2865 §5.8): 0xFFFFFFFF
 * "let the user select", 0xFFFFFFFE "the NAS selects from a pool"; 0.0.0.0 is none.
 */
const NOT_AN_ADDRESS = new Set(['255.255.255.255', '255.255.255.254', '0.0.0.0']);
/** A Windows machine account authenticating (802.1X machine auth): User-Name "host/<name>". */
const MACHINE_USER = /^host\/(.+)$/i;
const NS_PER_S = 1e9;

/** An exchange in progress: what its radius.auth event will say, gathered message by message. */
interface Exchange extends Pick<RadiusAuthEvent, 'username' | 'mac' | 'framed_addr' | 'tunnel_client' | 'connect_info' | 'reply_msg' | 'nas' | 'packet'> {
  tsSec: number;
  tsNsec: number;
  /** Identifiers of the requests that joined it (replies find it by theirs). */
  ids: number[];
  nas_ip?: string;
  nas_port?: number;
}


/** An attribute's text (RFC 2865 §5 "text" is UTF-8); other octets become \xNN as Zeek prints them. */
export function attrText(buf: Uint8Array, a: RadiusAttribute): string {
  const b = buf.subarray(a.off, a.off + a.len);
  let ascii = true;
  for (let i = 0; i < b.length; i++) if (b[i] < 0x20 || b[i] > 0x7e) ascii = false;
  if (ascii) return Buffer.from(b).toString('latin1');
  // Validity is checked first: a fatal decoder's exception per malformed value costs far more.
  const s = isUtf8(b) ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8') : null;
  if (s !== null && !/[\x00-\x1f\x7f]/.test(s)) return s;
  return escapeBytes(b, 0, b.length);
}

export class RadiusAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  private open: Exchange[] = [];

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseRadius(buf, off, len);
    if (typeof m === 'string') {
      ctx.weird(`radius.${m}`);
      return;
    }
    if (m.damaged !== undefined) ctx.weird(`radius.${m.damaged}`);
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('radius');
    }
    const ev = this.message(ctx, isOrig, buf, m);
    ctx.emit(ev);
    if (m.code === CODE_ACCESS_REQUEST) this.request(ctx, ev);
    else if (m.code === CODE_ACCESS_CHALLENGE || m.code === CODE_ACCESS_ACCEPT || m.code === CODE_ACCESS_REJECT) this.reply(ctx, ev);
    else if (m.code === CODE_ACCOUNTING_REQUEST && ev.mac !== undefined) {
      this.binding(ctx, ev.mac, ev.user_name, ev.framed_addr, ev.nas_ip, ev.nas_port);
    }
  }

  end(ctx: AnalyzerContext): void {
    for (const x of this.open) this.log(ctx, x, 'unknown', undefined);
    this.open = [];
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: RadiusMessage): RadiusMessageEvent {
    const ev: RadiusMessageEvent = { type: 'radius.message', is_orig: isOrig, code: m.code, msg_type: CODE_NAMES.get(m.code) ?? String(m.code), identifier: m.identifier, packet: ctx.packet.packetNo };
    let vendors: number[] | undefined;
    for (const a of m.attributes) {
      switch (a.type) {
        case ATTR_USER_NAME:
          ev.user_name ??= attrText(buf, a);
          break;
        case ATTR_USER_PASSWORD:
        case ATTR_CHAP_PASSWORD:
          ev.password_present = true;
          break;
        case ATTR_NAS_IP_ADDRESS:
          if (a.len === IPV4_LEN) ev.nas_ip ??= ipv4At(buf, a.off);
          break;
        case ATTR_NAS_IPV6_ADDRESS:
          if (a.len === IPV6_LEN) ev.nas_ipv6 ??= ipv6At(buf, a.off);
          break;
        case ATTR_NAS_PORT:
          ev.nas_port ??= attrUint32(buf, a);
          break;
        case ATTR_SERVICE_TYPE:
          ev.service_type ??= attrUint32(buf, a);
          break;
        case ATTR_FRAMED_IP_ADDRESS:
          if (a.len === IPV4_LEN) ev.framed_addr ??= ipv4At(buf, a.off);
          break;
        case ATTR_REPLY_MESSAGE:
          ev.reply_msg ??= attrText(buf, a);
          break;
        case ATTR_CALLED_STATION_ID:
          ev.called_station_id ??= attrText(buf, a);
          break;
        case ATTR_CALLING_STATION_ID:
          if (ev.calling_station_id === undefined) {
            ev.calling_station_id = attrText(buf, a);
            const mac = normalizeMac(ev.calling_station_id);
            if (mac !== '') ev.mac = mac;
          }
          break;
        case ATTR_NAS_IDENTIFIER:
          ev.nas_identifier ??= attrText(buf, a);
          break;
        case ATTR_ACCT_STATUS_TYPE:
          ev.acct_status_type ??= attrUint32(buf, a);
          break;
        case ATTR_ACCT_SESSION_ID:
          ev.acct_session_id ??= attrText(buf, a);
          break;
        case ATTR_NAS_PORT_TYPE:
          ev.nas_port_type ??= attrUint32(buf, a);
          break;
        case ATTR_TUNNEL_CLIENT_ENDPOINT:
          ev.tunnel_client ??= attrText(buf, a);
          break;
        case ATTR_CONNECT_INFO:
          ev.connect_info ??= attrText(buf, a);
          break;
        case ATTR_EAP_MESSAGE:
          ev.eap = true;
          break;
        case ATTR_NAS_PORT_ID:
          ev.nas_port_id ??= attrText(buf, a);
          break;
        case ATTR_ERROR_CAUSE:
          ev.error_cause ??= attrUint32(buf, a);
          break;
        case ATTR_VENDOR_SPECIFIC:
          if (a.vendor !== undefined) {
            vendors ??= [];
            if (!vendors.includes(a.vendor) && vendors.length < MAX_VENDORS) vendors.push(a.vendor);
          }
          break;
        default:
          break;
      }
    }
    if (vendors !== undefined) ev.vendors = vendors;
    return ev;
  }

  private request(ctx: AnalyzerContext, ev: RadiusMessageEvent): void {
    let x: Exchange | undefined;
    for (let i = this.open.length - 1; i >= 0 && x === undefined; i--) {
      const o = this.open[i];
      if (ev.user_name !== undefined ? o.username === ev.user_name || o.username === undefined : true) x = o;
    }
    if (x === undefined) x = this.start(ctx);
    if (!x.ids.includes(ev.identifier)) x.ids.push(ev.identifier);
    x.username ??= ev.user_name;
    if (x.mac === undefined && ev.calling_station_id !== undefined) x.mac = normalizeMac(ev.calling_station_id);
    x.tunnel_client ??= ev.tunnel_client;
    x.connect_info ??= ev.connect_info;
    x.nas ??= ev.nas_ip ?? ev.nas_identifier;
    x.nas_ip ??= ev.nas_ip;
    x.nas_port ??= ev.nas_port;
  }

  private reply(ctx: AnalyzerContext, ev: RadiusMessageEvent): void {
    let i = this.open.length - 1;
    while (i >= 0 && !this.open[i].ids.includes(ev.identifier)) i--;
    const x = i >= 0 ? this.open[i] : this.start(ctx);
    if (ev.code === CODE_ACCESS_CHALLENGE) {
      x.framed_addr ??= ev.framed_addr;
      x.reply_msg ??= ev.reply_msg;
      return;
    }
    this.open.splice(this.open.indexOf(x), 1);
    const p = ctx.packet;
    const dt = p.tsSec - x.tsSec + (p.tsNsec - x.tsNsec) / NS_PER_S;
    this.log(ctx, x, ev.code === CODE_ACCESS_ACCEPT ? 'success' : 'failed', dt !== 0 ? dt : undefined);
    if (ev.code === CODE_ACCESS_ACCEPT && x.mac !== undefined && x.mac !== '') this.binding(ctx, x.mac, x.username, ev.framed_addr ?? x.framed_addr, x.nas_ip, x.nas_port);
  }

  private start(ctx: AnalyzerContext): Exchange {
    if (this.open.length >= MAX_OPEN) {
      const old = this.open.shift()!;
      ctx.weird('radius.too_many_open_exchanges');
      this.log(ctx, old, 'unknown', undefined);
    }
    const x: Exchange = { tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec, ids: [], packet: ctx.packet.packetNo };
    this.open.push(x);
    return x;
  }

  private log(ctx: AnalyzerContext, x: Exchange, result: RadiusAuthEvent['result'], ttl: number | undefined): void {
    const ev: RadiusAuthEvent = { type: 'radius.auth', ts_sec: x.tsSec, ts_nsec: x.tsNsec, result, packet: ctx.packet.packetNo };
    if (x.username !== undefined) ev.username = x.username;
    // Zeek logs normalize_mac's empty string for a Calling-Station-Id that is no MAC.
    if (x.mac !== undefined) ev.mac = x.mac;
    if (x.framed_addr !== undefined) ev.framed_addr = x.framed_addr;
    if (x.tunnel_client !== undefined) ev.tunnel_client = x.tunnel_client;
    if (x.connect_info !== undefined) ev.connect_info = x.connect_info;
    if (x.reply_msg !== undefined) ev.reply_msg = x.reply_msg;
    if (ttl !== undefined) ev.ttl = ttl;
    if (x.nas !== undefined) ev.nas = x.nas;
    ctx.emit(ev);
  }

  private binding(ctx: AnalyzerContext, mac: string, username: string | undefined, framed: string | undefined, nasIp: string | undefined, nasPort: number | undefined): void {
    const ev: RadiusBindingEvent = { type: 'radius.binding', mac, packet: ctx.packet.packetNo };
    if (username !== undefined && username !== '') {
      ev.username = username;
      const h = MACHINE_USER.exec(username);
      if (h !== null) ev.hostname = h[1];
    }
    if (framed !== undefined && !NOT_AN_ADDRESS.has(framed)) ev.framed_addr = framed;
    if (nasIp !== undefined) ev.nas_ip = nasIp;
    if (nasPort !== undefined) ev.nas_port = nasPort;
    ctx.emit(ev);
  }
}
