// ICMP (IPv4) router control messages: Redirect (RFC 792; codes of RFC 1812 §5.2.7.2) and the
// ICMP Router Discovery messages (RFC 1256: Router Advertisement and Solicitation), from the
// ICMP header on. Pure: no state, bounded by the message and a cap on advertised addresses.
import { ipv4String, u16, u32 } from '../dns/text.js';

export const ICMP_REDIRECT = 5;
export const ICMP_ROUTER_ADVERT = 9;
export const ICMP_ROUTER_SOLICIT = 10;

export const ICMP_TYPES: Record<number, string> = {
  5: 'redirect',
  9: 'router_advertisement',
  10: 'router_solicitation',
};

/** Redirect codes (RFC 792): for the network, for the host, each with or without the type of service. */
export const REDIRECT_FOR = ['network', 'host', 'tos_network', 'tos_host'];

/** Addresses kept per advertisement (RFC 1256 allows 255; routers advertise their interface's few). */
export const MAX_ROUTER_ADDRESSES = 32;

const IP_PROTO_TCP = 6;
const IP_PROTO_UDP = 17;
const IP_PROTO_SCTP = 132;

export interface IcmpMessage {
  msgType: number;
  code: number;
  /** Redirect: the gateway the host is told to use. */
  gateway?: string;
  /** Redirect: the quoted datagram's header (RFC 792: the internet header and 64 bits of its data). */
  origSrc?: string;
  origDst?: string;
  origProto?: number;
  /** Its ports when the quoted datagram is TCP, UDP or SCTP and they were quoted. */
  origSport?: number;
  origDport?: number;
  /** Router Advertisement: lifetime (seconds), router addresses and their preference levels (signed). */
  lifetime?: number;
  routers?: string[];
  preferences?: number[];
  /** Addresses the advertisement says it holds (num addrs), which may exceed the kept ones. */
  numAddrs?: number;
  /** Why a receiver would drop it (RFC 1256 §5.2 for advertisements; see the analyzer for redirects). */
  invalid?: string;
}

/**
 * Parses the ICMP message at `off` (its type octet), `len` bytes captured. 'truncated' when not
 * even the 8-byte header is there; a message cut short further on comes back with `invalid`.
 */
export function parseIcmp(buf: Uint8Array, off: number, len: number): IcmpMessage | 'truncated' {
  if (len < 8 || off + len > buf.length) return 'truncated';
  const msgType = buf[off];
  const code = buf[off + 1];
  const r: IcmpMessage = { msgType, code };
  if (msgType === ICMP_REDIRECT) {
    r.gateway = ipv4String(buf, off + 4);
    const q = off + 8;
    const qlen = len - 8;
    if (qlen < 20 || buf[q] >> 4 !== 4) {
      r.invalid = 'no_quoted_datagram';
      return r;
    }
    const ihl = (buf[q] & 0x0f) * 4;
    r.origProto = buf[q + 9];
    r.origSrc = ipv4String(buf, q + 12);
    r.origDst = ipv4String(buf, q + 16);
    const fragOff = u16(buf, q + 6) & 0x1fff;
    if (ihl >= 20 && fragOff === 0 && qlen >= ihl + 4 && (r.origProto === IP_PROTO_TCP || r.origProto === IP_PROTO_UDP || r.origProto === IP_PROTO_SCTP)) {
      r.origSport = u16(buf, q + ihl);
      r.origDport = u16(buf, q + ihl + 2);
    }
    return r;
  }
  if (msgType === ICMP_ROUTER_ADVERT) {
    const num = buf[off + 4];
    const entry = buf[off + 5];
    r.lifetime = u16(buf, off + 6);
    r.numAddrs = num;
    r.routers = [];
    r.preferences = [];
    if (num === 0) r.invalid = 'no_addresses';
    else if (entry < 2) r.invalid = `entry_size_${entry}`;
    else if (len < 8 + num * entry * 4) r.invalid = 'truncated_addresses';
    if (entry >= 2) {
      const step = entry * 4;
      for (let i = 0, p = off + 8; i < num && i < MAX_ROUTER_ADDRESSES && p + 8 <= off + len; i++, p += step) {
        r.routers.push(ipv4String(buf, p));
        r.preferences.push(u32(buf, p + 4) | 0);
      }
    }
    return r;
  }
  return r;
}
