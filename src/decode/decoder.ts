// Packet decoder: link layer (Ethernet II, 802.3/LLC/SNAP, 802.1Q/802.1ad/QinQ, MPLS,
// PPPoE, Linux cooked v1/v2, BSD loopback, raw IP, PPP (bare, HDLC-framed, pppd's, over
// Ethernet), Cisco HDLC, Linux NFLOG, IEEE 802.11 bare or under radiotap, PPI,
// Prism or AVS headers), IPv4 (RFC 791) with options and fragment
// reassembly, IPv6 (RFC 8200) extension header chains and fragments, IP-in-IP and GRE
// (RFC 2784/2890, incl. transparent Ethernet bridging and Cisco ERSPAN types I, II and III)
// tunnels, GTP-U, VXLAN, Geneve, Teredo, L2TP (PPP inside) and CAPWAP data (802.3 or 802.11
// frames of wireless clients) over UDP, then TCP/UDP/ICMP.
// Never throws on input: every malformation is a named weird and a DROP status.
import { FragmentReassembler } from './fragments.js';
import {
  IPPROTO_GRE,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IPIP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  PacketMeta,
} from './packet.js';
import { decodeIcmp, decodeTcp, decodeUdp, L4_OK } from './transport.js';
import type { Weirds } from './weird.js';
import type { PacketRecord } from '../capture/record.js';

/** Decode outcome. */
export const DROP = 0; // malformed, counted as a weird
export const L2 = 1; // non-IP frame (ARP, LLDP, STP, …): l3Off/ethType are valid
export const IP_OTHER = 2; // IP, but not a transport we track, or a fragment still pending
export const L4 = 3; // TCP, UDP or ICMP decoded: ready for the flow table
export const IGNORED = 4; // well formed, nothing to analyse (802.11 control, encrypted or null data)

export const ETH_IPV4 = 0x0800;
export const ETH_ARP = 0x0806;
export const ETH_VLAN = 0x8100;
export const ETH_QINQ = 0x88a8;
export const ETH_QINQ_OLD = 0x9100;
export const ETH_IPV6 = 0x86dd;
export const ETH_MPLS = 0x8847;
export const ETH_MPLS_MC = 0x8848;
export const ETH_PPPOE_SESSION = 0x8864;
export const ETH_LLDP = 0x88cc;
export const ETH_TEB = 0x6558; // transparent Ethernet bridging inside GRE
/** GRE protocol types of Cisco ERSPAN mirror sessions: types I and II, and type III. */
const GRE_ERSPAN = 0x88be;
const GRE_ERSPAN3 = 0x22eb;
const ERSPAN2_HDR = 8;
const ERSPAN3_HDR = 12;
const ERSPAN3_PLATFORM = 8;
/** Pseudo ethertype for 802.3 frames with an LLC header (STP, CDP via SNAP is resolved). */
export const ETH_LLC = 0x0001;
/**
 * Pseudo ethertype of an IEEE 802.11 management frame (beacon, probe, association …): l3Off is
 * the start of its MAC header. Outside the 16-bit range, so no real ethertype collides.
 */
export const ETH_WLAN_MGMT = 0x10000;

const ETH_HDR = 14;
const VLAN_TAG = 4;
const MAX_VLAN_TAGS = 4;
const MAX_MPLS_LABELS = 8;
const MAX_TUNNEL_DEPTH = 3;
const MAX_IPV6_EXT = 16;
const SLL_HDR = 16;
const WLAN_HDR = 24;
const WLAN_MGMT = 0;
const WLAN_CONTROL = 1;
const WLAN_DATA = 2;
const WLAN_EXTENSION = 3;
const WLAN_PROTECTED = 0x40;
const WLAN_ORDER = 0x80;
const RT_TSFT = 1 << 0;
const RT_FLAGS = 1 << 1;
const RT_F_FCS = 0x10;
const RT_F_DATAPAD = 0x20;
const RT_F_BADFCS = 0x40;
const MAX_RADIOTAP_PRESENT = 16;
const PPI_80211_COMMON = 2;
const MAX_PPI_FIELDS = 64;
const SLL2_HDR = 20;
const NULL_HDR = 4;
const IPV4_MIN_HDR = 20;
const IPV6_HDR = 40;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
/** NFLOG's packet payload TLV, and how many TLVs are read looking for it. */
const NFULA_PAYLOAD = 9;
const NFLOG_MAX_TLVS = 32;
const GRE_MIN_HDR = 4;
const GTP_U_PORT = 2152;
const VXLAN_PORT = 4789;
const GENEVE_PORT = 6081;
const TEREDO_PORT = 3544;
const L2TP_PORT = 1701;
/** CAPWAP's data channel (RFC 5415 §15.7): the controller's port, whichever way a frame goes. */
const CAPWAP_DATA_PORT = 5247;
const CAPWAP_MIN_HDR = 8;
const CAPWAP_WBID_80211 = 1;
/** Access points remembered for Frame Control byte order (a power of two). */
const CAPWAP_APS = 1024;
const GTP_TPDU = 0xff;

/** What a UDP payload tunnels, found after the outer packet was decoded. */
const INNER_NONE = 0;
const INNER_IP = 1;
const INNER_ETH = 2;
const INNER_PPP = 3;
const INNER_WLAN = 4;
const INNER_WLAN_SWAPPED = 5;

export class Decoder {
  readonly m = new PacketMeta();
  readonly frags = new FragmentReassembler();
  /** A UDP tunnel payload (GTP-U, VXLAN, Geneve, Teredo, L2TP, CAPWAP) waiting to be decoded by decodeInner(). */
  private innerKind = INNER_NONE;
  /** The carrying connection's service in conn.log, as Zeek names its tunnel analyzers. */
  innerService = '';
  private innerOff = 0;
  private innerEnd = 0;
  /** CAPWAP access points whose frames arrive with Frame Control swapped (see capwapSwapped). */
  private readonly capwapKeys = new Int32Array(CAPWAP_APS);
  private readonly capwapVerdict = new Uint8Array(CAPWAP_APS);

  constructor(private readonly w: Weirds) {}

  decode(r: PacketRecord, fileIndex: number): number {
    const m = this.m;
    m.reset();
    this.innerKind = INNER_NONE;
    m.buf = r.buf;
    m.view = r.view;
    m.fileIndex = fileIndex;
    m.packetNo = r.packetNo;
    m.tsSec = r.tsSec;
    m.tsNsec = r.tsNsec;
    m.ts = r.tsSec + r.tsNsec / 1e9;
    m.caplen = r.caplen;
    m.wirelen = r.wirelen;
    m.linkType = r.linkType;
    const off = r.off;
    const end = r.off + r.caplen;
    m.frameEnd = end;
    switch (r.linkType) {
      case 1:
        return this.ethernet(off, end);
      case 113:
        return this.sll(off, end);
      case 276:
        return this.sll2(off, end);
      case 12:
      case 14:
      case 101:
        return this.rawIp(off, end);
      case 228:
        return this.ipv4(off, end);
      case 229:
        return this.ipv6(off, end);
      case 0:
      case 108:
        return this.loopback(off, end, r.linkType === 108);
      case 105:
        return this.wlan(off, end, false);
      case 127:
        return this.radiotap(off, end);
      case 192:
        return this.ppi(off, end);
      case 119:
      case 163:
        return this.prismOrAvs(off, end);
      case 9:
      case 50:
        return this.ppp(off, end);
      case 166:
        // pppd's captures: RFC 1662 framing with the address octet (FF) replaced by the
        // direction (0 received, 1 sent).
        if (end - off >= 2 && r.buf[off + 1] === 0x03) return this.pppProtocol(off + 2, end);
        return this.ppp(off, end);
      case 51:
        return this.pppoe(off, end);
      case 104:
        return this.ciscoHdlc(off, end);
      case 239:
        return this.nflog(off, end);
      default:
        this.w.add('link.unsupported_type');
        return DROP;
    }
  }

  private ethernet(off: number, end: number): number {
    const m = this.m;
    const b = m.buf;
    m.etherDepth = m.tunnelDepth;
    if (end - off < ETH_HDR) {
      this.w.add('eth.truncated');
      return DROP;
    }
    m.macBuf = b;
    m.dstMacOff = off;
    m.srcMacOff = off + 6;
    // A group (multicast) address as source: no station sends from one (802.3 §3.2.3); MAC
    // flooding tools (macof) draw random sources, half of them so. The frame is still read, and
    // no weird is counted: anonymised and damaged captures hold a few such frames.
    if ((b[off + 6] & 1) !== 0) m.srcGroup = true;
    // Locally administered unicast: what flooders that keep to unicast sources draw (mausezahn -a rand).
    else if ((b[off + 6] & 2) !== 0) m.srcLocal = true;
    return this.ethertype(m.view.getUint16(off + 12, false), off + ETH_HDR, end, 0);
  }

  /** Continues after an ethertype field, handling VLAN tags, LLC/SNAP, MPLS and PPPoE. */
  private ethertype(type: number, off: number, end: number, tags: number): number {
    const m = this.m;
    const b = m.buf;
    for (;;) {
      if (type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) {
        if (end - off < VLAN_TAG) {
          this.w.add('vlan.truncated');
          return DROP;
        }
        if (++tags > MAX_VLAN_TAGS) {
          this.w.add('vlan.too_many_tags');
          return DROP;
        }
        const id = ((b[off] << 8) | b[off + 1]) & 0x0fff;
        if (m.vlan < 0) {
          m.vlan = id;
          m.vlanTpid = type;
        } else if (m.vlanInner < 0) m.vlanInner = id;
        type = (b[off + 2] << 8) | b[off + 3];
        off += VLAN_TAG;
        continue;
      }
      // A lone tag with VLAN id 0 is a priority tag (802.1Q §9.6): the frame belongs to the
      // port's untagged VLAN, as a switch classifies it. IP phones in 802.1p mode and NICs with
      // priority tagging send them while the answers come untagged: one link, not two segments.
      // Zeek's vlan-logging would show 0. Under a second tag the 0 stays (a stacked frame).
      if (m.vlan === 0 && m.vlanInner < 0) m.vlan = -1;
      if (type < 1536) {
        // IEEE 802.3 length field: LLC follows; SNAP (AA AA 03) carries an ethertype.
        if (end - off < 3) {
          this.w.add('llc.truncated');
          return DROP;
        }
        if (b[off] === 0xaa && b[off + 1] === 0xaa && b[off + 2] === 0x03) {
          if (end - off < 8) {
            this.w.add('llc.truncated');
            return DROP;
          }
          const oui = (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5];
          const pid = (b[off + 6] << 8) | b[off + 7];
          if (oui === 0) {
            type = pid;
            off += 8;
            continue;
          }
          // Vendor SNAP (CDP is Cisco OUI 00:00:0c, PID 0x2000): hand on as non-IP.
          m.ethType = pid;
          m.l3Off = off + 8;
          return L2;
        }
        m.ethType = ETH_LLC;
        m.l3Off = off;
        return L2;
      }
      if (type === ETH_MPLS || type === ETH_MPLS_MC) {
        let labels = 0;
        for (;;) {
          if (end - off < 4) {
            this.w.add('mpls.truncated');
            return DROP;
          }
          const bottom = b[off + 2] & 1;
          off += 4;
          if (bottom) break;
          if (++labels >= MAX_MPLS_LABELS) {
            this.w.add('mpls.too_many_labels');
            return DROP;
          }
        }
        if (end - off < 1) {
          this.w.add('mpls.truncated');
          return DROP;
        }
        const ver = b[off] >> 4;
        if (ver === 4) type = ETH_IPV4;
        else if (ver === 6) type = ETH_IPV6;
        else {
          m.ethType = type;
          m.l3Off = off;
          return L2;
        }
        continue;
      }
      if (type === ETH_PPPOE_SESSION) {
        if (end - off < 8) {
          this.w.add('pppoe.truncated');
          return DROP;
        }
        const ppp = (b[off + 6] << 8) | b[off + 7];
        off += 8;
        if (ppp === PPP_IPV4) type = ETH_IPV4;
        else if (ppp === PPP_IPV6) type = ETH_IPV6;
        else {
          m.ethType = type;
          m.l3Off = off;
          return L2;
        }
        continue;
      }
      break;
    }
    m.ethType = type;
    m.l3Off = off;
    if (type === ETH_IPV4) return this.ipv4(off, end);
    if (type === ETH_IPV6) return this.ipv6(off, end);
    return L2;
  }

  /**
   * PPP (RFC 1661), with or without RFC 1662's HDLC-like address and control octets (FF 03); the
   * protocol field is one octet when compressed (an odd first octet, RFC 1661 §6.5) or two.
   * IPv4 and IPv6 go on; LCP, IPCP, authentication and compressed or encrypted datagrams are the
   * link's own traffic, passed over as non-IP frames.
   */
  private ppp(off: number, end: number): number {
    const b = this.m.buf;
    if (end - off >= 2 && b[off] === 0xff && b[off + 1] === 0x03) off += 2;
    return this.pppProtocol(off, end);
  }

  private pppProtocol(off: number, end: number): number {
    const b = this.m.buf;
    if (end - off < 2) {
      this.w.add('ppp.truncated');
      return DROP;
    }
    let proto: number;
    if ((b[off] & 1) === 1) proto = b[off++];
    else {
      proto = (b[off] << 8) | b[off + 1];
      off += 2;
    }
    if (proto === PPP_IPV4) return this.ipv4(off, end);
    if (proto === PPP_IPV6) return this.ipv6(off, end);
    this.m.ethType = 0;
    this.m.l3Off = off;
    return L2;
  }

  /** LINKTYPE_PPP_ETHER: a PPPoE header (RFC 2516: ver/type, code, session, length), then PPP's protocol field. */
  private pppoe(off: number, end: number): number {
    if (end - off < 6) {
      this.w.add('pppoe.truncated');
      return DROP;
    }
    // Discovery packets (code ≠ 0) carry tags, not PPP.
    if (this.m.buf[off + 1] !== 0) {
      this.m.ethType = 0;
      this.m.l3Off = off;
      return L2;
    }
    return this.ppp(off + 6, end);
  }

  /** Cisco HDLC: address (0x0F unicast, 0x8F broadcast), control 0, then an ethertype. */
  private ciscoHdlc(off: number, end: number): number {
    if (end - off < 4) {
      this.w.add('chdlc.truncated');
      return DROP;
    }
    return this.ethertype(this.m.view.getUint16(off + 2, false), off + 4, end, 0);
  }

  /**
   * LINKTYPE_NFLOG (Linux netfilter's log target): family, version, resource id, then TLVs whose
   * length and type are in the capturing host's byte order (little-endian on nearly every such
   * host; a length that does not fit says big-endian), padded to 4 octets; NFULA_PAYLOAD (9) holds
   * the IP packet.
   */
  private nflog(off: number, end: number): number {
    const v = this.m.view;
    if (end - off < 4) {
      this.w.add('nflog.truncated');
      return DROP;
    }
    const family = this.m.buf[off];
    let p = off + 4;
    let le = true;
    if (end - p >= 4) {
      const l = v.getUint16(p, true);
      le = l >= 4 && l <= end - p;
    }
    for (let i = 0; i < NFLOG_MAX_TLVS && end - p >= 4; i++) {
      const len = v.getUint16(p, le);
      const type = v.getUint16(p + 2, le);
      if (len < 4 || len > end - p) break;
      if (type === NFULA_PAYLOAD) {
        if (family === 2) return this.ipv4(p + 4, p + len);
        if (family === 10) return this.ipv6(p + 4, p + len);
        return this.rawIp(p + 4, p + len);
      }
      p += (len + 3) & ~3;
    }
    this.w.add('nflog.no_payload');
    return DROP;
  }

  private sll(off: number, end: number): number {
    if (end - off < SLL_HDR) {
      this.w.add('sll.truncated');
      return DROP;
    }
    const v = this.m.view;
    const halen = v.getUint16(off + 4, false);
    if (halen === 6) {
      this.m.macBuf = this.m.buf;
      this.m.srcMacOff = off + 6;
    }
    return this.ethertype(v.getUint16(off + 14, false), off + SLL_HDR, end, 0);
  }

  private sll2(off: number, end: number): number {
    if (end - off < SLL2_HDR) {
      this.w.add('sll2.truncated');
      return DROP;
    }
    const v = this.m.view;
    if (this.m.buf[off + 11] === 6) {
      this.m.macBuf = this.m.buf;
      this.m.srcMacOff = off + 12;
    }
    return this.ethertype(v.getUint16(off, false), off + SLL2_HDR, end, 0);
  }

  private loopback(off: number, end: number, networkOrder: boolean): number {
    if (end - off < NULL_HDR) {
      this.w.add('null.truncated');
      return DROP;
    }
    const v = this.m.view;
    // DLT_NULL stores the address family in the writer's byte order; guess it from the value.
    let af = networkOrder ? v.getUint32(off, false) : v.getUint32(off, true);
    if (!networkOrder && af > 0xffff) af = v.getUint32(off, false);
    off += NULL_HDR;
    if (af === 2) return this.ipv4(off, end);
    // IPv6 is 24 (BSD), 28 (FreeBSD), 30 (macOS), 10 (Linux)
    if (af === 24 || af === 28 || af === 30 || af === 10) return this.ipv6(off, end);
    this.w.add('null.unknown_family');
    return DROP;
  }

  /**
   * Radiotap (radiotap.org): a little-endian header whose length skips it; of its fields only
   * Flags (bit 1, after the 8-byte-aligned TSFT of bit 0) matters here: FCS at the end of the
   * frame (0x10), padding after the 802.11 header (0x20), a failed FCS check (0x40).
   */
  private radiotap(off: number, end: number): number {
    const b = this.m.buf;
    const v = this.m.view;
    if (end - off < 8) {
      this.w.add('radiotap.truncated');
      return DROP;
    }
    if (b[off] !== 0) {
      this.w.add('radiotap.bad_version');
      return DROP;
    }
    const len = v.getUint16(off + 2, true);
    if (len < 8 || len > end - off) {
      this.w.add('radiotap.bad_length');
      return DROP;
    }
    const present = v.getUint32(off + 4, true);
    let p = off + 4;
    // Extended presence bitmaps follow while bit 31 is set.
    for (let words = 1; (v.getUint32(p, true) & 0x80000000) !== 0; words++) {
      p += 4;
      if (p + 4 > off + len || words >= MAX_RADIOTAP_PRESENT) {
        this.w.add('radiotap.bad_length');
        return DROP;
      }
    }
    p += 4;
    let flags = 0;
    if ((present & RT_FLAGS) !== 0) {
      if ((present & RT_TSFT) !== 0) p = off + ((p - off + 7) & ~7) + 8;
      if (p >= off + len) {
        this.w.add('radiotap.bad_length');
        return DROP;
      }
      flags = b[p];
    }
    return this.wlanFramed(off + len, end, (flags & RT_F_FCS) !== 0, (flags & RT_F_DATAPAD) !== 0, (flags & RT_F_BADFCS) !== 0);
  }

  /** PPI (CACE Per-Packet Information): header length and the link type it wraps; 802.11-Common says FCS. */
  private ppi(off: number, end: number): number {
    const v = this.m.view;
    if (end - off < 8) {
      this.w.add('ppi.truncated');
      return DROP;
    }
    const len = v.getUint16(off + 2, true);
    const dlt = v.getUint32(off + 4, true);
    if (this.m.buf[off] !== 0 || len < 8 || len > end - off) {
      this.w.add('ppi.bad_header');
      return DROP;
    }
    let fcs = false;
    let badFcs = false;
    for (let p = off + 8, n = 0; p + 4 <= off + len && n < MAX_PPI_FIELDS; n++) {
      const type = v.getUint16(p, true);
      const flen = v.getUint16(p + 2, true);
      if (p + 4 + flen > off + len) break;
      // 802.11-Common (type 2): TSF-Timer (8) then Flags (2): 0x1 FCS present, 0x4 FCS invalid.
      if (type === PPI_80211_COMMON && flen >= 10) {
        const f = v.getUint16(p + 4 + 8, true);
        fcs = (f & 1) !== 0;
        badFcs = (f & 4) !== 0;
      }
      p += 4 + flen;
    }
    off += len;
    if (dlt === 105) return this.wlanFramed(off, end, fcs, false, badFcs);
    if (dlt === 1) return this.ethernet(off, end);
    if (dlt === 127) return this.radiotap(off, end);
    this.w.add('ppi.unsupported_link_type');
    return DROP;
  }

  /**
   * Prism (linktype 119) and AVS (163) monitor headers: AVS starts with the magic 0x8021100x and
   * its big-endian length; Prism's message length follows its message code, in the byte order
   * of the host that wrote it (144 in practice).
   */
  private prismOrAvs(off: number, end: number): number {
    const v = this.m.view;
    if (end - off < 8) {
      this.w.add('wlan.monitor_header_truncated');
      return DROP;
    }
    let len: number;
    if ((v.getUint32(off, false) & 0xfffffff0) === 0x80211000) len = v.getUint32(off + 4, false);
    else {
      len = v.getUint32(off + 4, true);
      if (len > 0xffff) len = v.getUint32(off + 4, false);
    }
    if (len < 8 || len > end - off) {
      this.w.add('wlan.monitor_header_truncated');
      return DROP;
    }
    return this.wlan(off + len, end, false);
  }

  /** An 802.11 frame whose monitor header said whether an FCS ends it and whether it failed. */
  private wlanFramed(off: number, end: number, fcs: boolean, datapad: boolean, badFcs: boolean): number {
    if (badFcs) {
      // Damaged on the air: nothing in it can be trusted.
      this.w.add('wlan.bad_fcs');
      return DROP;
    }
    // The FCS is in the buffer only when the whole frame was captured.
    if (fcs && this.m.caplen >= this.m.wirelen && end - off >= 4) end -= 4;
    return this.wlan(off, end, datapad);
  }

  /**
   * IEEE 802.11 (IEEE Std 802.11-2020 §9.2-9.3): management frames go to the frame analyzers
   * (ETH_WLAN_MGMT), data frames that are neither protected nor null carry LLC/SNAP and then an
   * ethertype, control frames and encrypted data are well formed but have nothing to read.
   */
  private wlan(off: number, end: number, datapad: boolean, swappedFc = false): number {
    const m = this.m;
    const b = m.buf;
    if (end - off < 2) {
      this.w.add('wlan.truncated');
      return DROP;
    }
    const fc0 = swappedFc ? b[off + 1] : b[off];
    const fc1 = swappedFc ? b[off] : b[off + 1];
    if ((fc0 & 3) !== 0) {
      this.w.add('wlan.bad_version');
      return DROP;
    }
    const type = (fc0 >> 2) & 3;
    const sub = fc0 >> 4;
    if (type === WLAN_CONTROL || type === WLAN_EXTENSION) return IGNORED;
    if (end - off < WLAN_HDR) {
      this.w.add('wlan.truncated');
      return DROP;
    }
    m.macBuf = b;
    m.frameEnd = end;
    if (type === WLAN_MGMT) {
      m.dstMacOff = off + 4;
      m.srcMacOff = off + 10;
      // Protected management frames (802.11w) are action frames whose body is encrypted.
      if ((fc1 & WLAN_PROTECTED) !== 0) return IGNORED;
      m.ethType = ETH_WLAN_MGMT;
      m.wlanFcSwapped = swappedFc;
      m.l3Off = off;
      return L2;
    }
    const toDs = (fc1 & 1) !== 0;
    const fromDs = (fc1 & 2) !== 0;
    let hl = toDs && fromDs ? WLAN_HDR + 6 : WLAN_HDR;
    const qos = (sub & 8) !== 0;
    const qosOff = off + hl;
    if (qos) hl += (fc1 & WLAN_ORDER) !== 0 ? 6 : 2;
    if (datapad) hl = (hl + 3) & ~3;
    if (end - off < hl) {
      this.w.add('wlan.truncated');
      return DROP;
    }
    // Destination: A1 unless going to the distribution system (A3); source: A2 unless coming
    // from it (A3, or A4 in a four-address frame).
    m.dstMacOff = off + (toDs ? 16 : 4);
    m.srcMacOff = off + (fromDs ? (toDs ? 24 : 16) : 10);
    if ((sub & 4) !== 0 || (fc1 & WLAN_PROTECTED) !== 0) return IGNORED;
    let body = off + hl;
    let bodyEnd = end;
    if (qos && (b[qosOff] & 0x80) !== 0) {
      // A-MSDU: subframes of DA, SA, length and an LLC payload. The first one is decoded.
      if (bodyEnd - body < 14) {
        this.w.add('wlan.truncated');
        return DROP;
      }
      const n = (b[body + 12] << 8) | b[body + 13];
      m.dstMacOff = body;
      m.srcMacOff = body + 6;
      body += 14;
      if (n > bodyEnd - body) {
        this.w.add('wlan.amsdu_truncated');
        return DROP;
      }
      if (bodyEnd - (body + n) > 3) this.w.add('wlan.amsdu_subframes_not_decoded');
      bodyEnd = body + n;
    }
    if (bodyEnd - body < 8 || b[body] !== 0xaa || b[body + 1] !== 0xaa || b[body + 2] !== 0x03) {
      m.ethType = ETH_LLC;
      m.l3Off = body;
      m.frameEnd = bodyEnd;
      return bodyEnd - body < 3 ? IGNORED : L2;
    }
    m.frameEnd = bodyEnd;
    const oui = (b[body + 3] << 16) | (b[body + 4] << 8) | b[body + 5];
    const pid = (b[body + 6] << 8) | b[body + 7];
    // RFC 1042 (OUI 0) and 802.1H bridge tunnel (00:00:f8) encapsulation carry an ethertype.
    if (oui === 0 || oui === 0xf8) return this.ethertype(pid, body + 8, bodyEnd, 0);
    m.ethType = pid;
    m.l3Off = body + 8;
    return L2;
  }

  private rawIp(off: number, end: number): number {
    if (end - off < 1) {
      this.w.add('ip.truncated');
      return DROP;
    }
    const ver = this.m.buf[off] >> 4;
    if (ver === 4) return this.ipv4(off, end);
    if (ver === 6) return this.ipv6(off, end);
    this.w.add('ip.bad_version');
    return DROP;
  }

  private ipv4(off: number, end: number): number {
    const m = this.m;
    const b = m.buf;
    const v = m.view;
    if (end - off < IPV4_MIN_HDR) {
      this.w.add('ipv4.truncated_header');
      return DROP;
    }
    if (b[off] >> 4 !== 4) {
      this.w.add('ipv4.bad_version');
      return DROP;
    }
    const hl = (b[off] & 0x0f) * 4;
    if (hl < IPV4_MIN_HDR) {
      this.w.add('ipv4.bad_header_len');
      return DROP;
    }
    if (off + hl > end) {
      this.w.add('ipv4.truncated_header');
      return DROP;
    }
    let total = v.getUint16(off + 2, false);
    if (total < hl) {
      // TSO-offloaded captures carry 0 here; take the captured length like Zeek does.
      if (total === 0) {
        this.w.add('ipv4.zero_total_len');
        total = end - off;
      } else {
        this.w.add('ipv4.bad_total_len');
        return DROP;
      }
    }
    m.l3Off = off;
    m.ipVersion = 4;
    m.ipHdrLen = hl;
    m.ipTotalLen = total;
    m.tos = b[off + 1];
    m.ipId = v.getUint16(off + 4, false);
    const fragField = v.getUint16(off + 6, false);
    m.df = (fragField & 0x4000) !== 0;
    m.ttl = b[off + 8];
    const proto = b[off + 9];
    m.src[0] = 0;
    m.src[1] = 0;
    m.src[2] = 0xffff;
    m.src[3] = v.getUint32(off + 12, false);
    m.dst[0] = 0;
    m.dst[1] = 0;
    m.dst[2] = 0xffff;
    m.dst[3] = v.getUint32(off + 16, false);
    // Captured end of this datagram: Ethernet padding past `total` is not payload.
    let capEnd = off + total < end ? off + total : end;
    if (off + total > end && m.caplen >= m.wirelen) {
      // Not a snaplen cut: the frame is shorter than the IP header claims.
      this.w.add('ipv4.truncated');
    }
    const moreFrags = (fragField & 0x2000) !== 0;
    const fragOff = (fragField & 0x1fff) * 8;
    if (moreFrags || fragOff !== 0) {
      if (capEnd - off < total) {
        this.w.add('ipv4.fragment_truncated');
        return IP_OTHER;
      }
      const key = `4:${m.src[3]}:${m.dst[3]}:${m.ipId}:${proto}`;
      const whole = this.frags.add(key, m.ts, m.packetNo, b.subarray(off, off + hl), fragOff, moreFrags, b.subarray(off + hl, off + total));
      if (this.frags.lastWeird !== null) this.w.add(`ipv4.fragment_${this.frags.lastWeird}`);
      if (whole === null) return IP_OTHER;
      // Continue on the reassembled datagram; patch its header to describe the whole.
      total = whole.length;
      whole[2] = total >> 8;
      whole[3] = total & 0xff;
      whole[6] = 0;
      whole[7] = 0;
      m.buf = whole;
      m.view = new DataView(whole.buffer, whole.byteOffset, whole.byteLength);
      m.reassembled = true;
      m.ipTotalLen = total;
      off = 0;
      capEnd = total;
    }
    return this.transport(proto, off + hl, capEnd, total - hl);
  }

  private ipv6(off: number, end: number): number {
    const m = this.m;
    const b = m.buf;
    const v = m.view;
    if (end - off < IPV6_HDR) {
      this.w.add('ipv6.truncated_header');
      return DROP;
    }
    if (b[off] >> 4 !== 6) {
      this.w.add('ipv6.bad_version');
      return DROP;
    }
    const plen = v.getUint16(off + 4, false);
    m.l3Off = off;
    m.ipVersion = 6;
    m.ipTotalLen = plen + IPV6_HDR;
    m.tos = ((b[off] & 0x0f) << 4) | (b[off + 1] >> 4);
    m.ipFlowLabel = ((b[off + 1] & 0x0f) << 16) | (b[off + 2] << 8) | b[off + 3];
    m.ttl = b[off + 7];
    m.df = false;
    m.ipId = 0;
    for (let i = 0; i < 4; i++) {
      m.src[i] = v.getUint32(off + 8 + 4 * i, false);
      m.dst[i] = v.getUint32(off + 24 + 4 * i, false);
    }
    let capEnd = off + m.ipTotalLen < end ? off + m.ipTotalLen : end;
    if (off + m.ipTotalLen > end && m.caplen >= m.wirelen) this.w.add('ipv6.truncated');
    let next = b[off + 6];
    let p = off + IPV6_HDR;
    for (let n = 0; ; n++) {
      if (n > MAX_IPV6_EXT) {
        this.w.add('ipv6.too_many_ext_headers');
        return DROP;
      }
      if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
        if (capEnd - p < 8) {
          this.w.add('ipv6.ext_header_truncated');
          return DROP;
        }
        const len = (b[p + 1] + 1) * 8;
        if (p + len > capEnd) {
          this.w.add('ipv6.ext_header_truncated');
          return DROP;
        }
        next = b[p];
        p += len;
        continue;
      }
      if (next === 51) {
        // Authentication Header: length in 4-octet units, minus 2
        if (capEnd - p < 8) {
          this.w.add('ipv6.ext_header_truncated');
          return DROP;
        }
        const len = (b[p + 1] + 2) * 4;
        if (p + len > capEnd) {
          this.w.add('ipv6.ext_header_truncated');
          return DROP;
        }
        next = b[p];
        p += len;
        continue;
      }
      if (next === 44) {
        if (capEnd - p < 8) {
          this.w.add('ipv6.ext_header_truncated');
          return DROP;
        }
        const fo = v.getUint16(p + 2, false);
        const fragOff = fo & 0xfff8;
        const more = (fo & 1) !== 0;
        const id = v.getUint32(p + 4, false);
        const proto = b[p];
        if (fragOff === 0 && !more) {
          // Atomic fragment (RFC 6946): nothing to reassemble.
          next = proto;
          p += 8;
          continue;
        }
        if (capEnd - off < m.ipTotalLen) {
          this.w.add('ipv6.fragment_truncated');
          return IP_OTHER;
        }
        const key = `6:${m.src.join(',')}:${m.dst.join(',')}:${id}`;
        const hdrLen = p - off;
        const whole = this.frags.add(key, m.ts, m.packetNo, b.subarray(off, p), fragOff, more, b.subarray(p + 8, capEnd));
        if (this.frags.lastWeird !== null) this.w.add(`ipv6.fragment_${this.frags.lastWeird}`);
        if (whole === null) return IP_OTHER;
        m.buf = whole;
        m.view = new DataView(whole.buffer, whole.byteOffset, whole.byteLength);
        m.reassembled = true;
        m.ipTotalLen = whole.length;
        m.view.setUint16(4, whole.length - IPV6_HDR, false);
        off = 0;
        p = hdrLen;
        capEnd = whole.length;
        next = proto;
        continue;
      }
      break;
    }
    m.ipHdrLen = p - off;
    return this.transport(next, p, capEnd, m.ipTotalLen - (p - off));
  }

  private transport(proto: number, off: number, end: number, stated: number): number {
    const m = this.m;
    m.proto = proto;
    if (stated < 0) stated = 0;
    switch (proto) {
      case IPPROTO_TCP:
        return decodeTcp(m, this.w, off, end, stated) === L4_OK ? L4 : DROP;
      case IPPROTO_UDP:
        if (decodeUdp(m, this.w, off, end, stated) !== L4_OK) return DROP;
        if (m.tunnelDepth < MAX_TUNNEL_DEPTH) this.findUdpTunnel();
        return L4;
      case IPPROTO_ICMP:
      case IPPROTO_ICMPV6:
        return decodeIcmp(m, this.w, off, end, stated) === L4_OK ? L4 : DROP;
      case IPPROTO_IPIP:
      case IPPROTO_IPV6:
        if (++m.tunnelDepth > MAX_TUNNEL_DEPTH) {
          this.w.add('tunnel.too_deep');
          return DROP;
        }
        return proto === IPPROTO_IPIP ? this.ipv4(off, end) : this.ipv6(off, end);
      case IPPROTO_GRE:
        return this.gre(off, end);
      default:
        m.payloadOff = off;
        m.payloadLen = stated;
        m.capPayloadLen = end - off < stated ? (end > off ? end - off : 0) : stated;
        return IP_OTHER;
    }
  }

  /** True when the UDP packet just decoded carries a tunnelled packet (see decodeInner). */
  get hasInner(): boolean {
    return this.innerKind !== INNER_NONE;
  }

  /**
   * Decodes the packet a UDP tunnel carries, after the outer packet went through the flow table:
   * both the outer UDP flow and the inner one are tracked, as Zeek and tshark do.
   */
  decodeInner(): number {
    const m = this.m;
    const kind = this.innerKind;
    this.innerKind = INNER_NONE;
    m.tunnelDepth++;
    m.ipVersion = 0;
    m.proto = -1;
    m.srcPort = 0;
    m.dstPort = 0;
    m.tcpFlags = 0;
    m.payloadLen = 0;
    m.capPayloadLen = 0;
    if (kind === INNER_ETH) return this.ethernet(this.innerOff, this.innerEnd);
    if (kind === INNER_PPP) return this.ppp(this.innerOff, this.innerEnd);
    if (kind === INNER_WLAN || kind === INNER_WLAN_SWAPPED) return this.wlan(this.innerOff, this.innerEnd, false, kind === INNER_WLAN_SWAPPED);
    return this.rawIp(this.innerOff, this.innerEnd);
  }

  private findUdpTunnel(): void {
    const m = this.m;
    const b = m.buf;
    let p = m.payloadOff;
    const end = p + m.capPayloadLen;
    const sp = m.srcPort;
    const dp = m.dstPort;
    if ((dp === GTP_U_PORT || sp === GTP_U_PORT) && end - p >= 8) {
      // GTPv1-U (3GPP TS 29.281): version 1, PT 1, message type T-PDU.
      const flags = b[p];
      if (flags >> 5 !== 1 || (flags & 0x10) === 0 || b[p + 1] !== GTP_TPDU) return;
      let q = p + 8;
      if (flags & 0x07) {
        if (end - q < 4) return;
        let next = b[q + 3];
        q += 4;
        for (let n = 0; next !== 0 && n < 8; n++) {
          if (end - q < 1) return;
          const len = b[q] * 4;
          if (len === 0 || end - q < len) return;
          next = b[q + len - 1];
          q += len;
        }
      }
      if (end - q < 1) return;
      const ver = b[q] >> 4;
      if (ver !== 4 && ver !== 6) return;
      this.setInner(INNER_IP, q, end, 'gtpv1');
    } else if ((dp === VXLAN_PORT || sp === VXLAN_PORT) && end - p >= 8 + 14) {
      if ((b[p] & 0x08) === 0) return; // the VNI-valid flag
      this.setInner(INNER_ETH, p + 8, end, 'vxlan');
    } else if ((dp === GENEVE_PORT || sp === GENEVE_PORT) && end - p >= 8) {
      if (b[p] >> 6 !== 0) return;
      const optLen = (b[p] & 0x3f) * 4;
      const ptype = (b[p + 2] << 8) | b[p + 3];
      const q = p + 8 + optLen;
      if (q >= end) return;
      if (ptype === ETH_TEB) this.setInner(INNER_ETH, q, end, 'geneve');
      else if (ptype === ETH_IPV4 || ptype === ETH_IPV6) this.setInner(INNER_IP, q, end, 'geneve');
    } else if ((dp === TEREDO_PORT || sp === TEREDO_PORT) && end - p >= 40) {
      // RFC 4380 §5.1.1: optional authentication (0x0001) and origin indication (0x0000) headers.
      if (b[p] === 0 && b[p + 1] === 1) {
        const idLen = b[p + 2];
        const auLen = b[p + 3];
        p += 4 + idLen + auLen + 9;
      }
      if (end - p >= 8 && b[p] === 0 && b[p + 1] === 0) p += 8;
      if (end - p >= 40 && b[p] >> 4 === 6) this.setInner(INNER_IP, p, end, 'teredo');
    } else if ((dp === L2TP_PORT || sp === L2TP_PORT) && end - p >= 6) {
      // L2TPv2 (RFC 2661 §3.1) data messages carry PPP frames; control messages (T set) do not.
      // Optional fields: Length (L), Ns and Nr (S), an offset (O) padding the payload.
      const flags = (b[p] << 8) | b[p + 1];
      if ((flags & 0x8000) !== 0 || (flags & 0x000f) !== 2) return;
      let q = p + 2 + ((flags & 0x4000) !== 0 ? 2 : 0) + 4 + ((flags & 0x0800) !== 0 ? 4 : 0);
      if ((flags & 0x0200) !== 0) {
        if (end - q < 2) return;
        q += 2 + ((b[q] << 8) | b[q + 1]);
      }
      if (end - q >= 2) this.setInner(INNER_PPP, q, end, 'l2tp');
    } else if ((dp === CAPWAP_DATA_PORT || sp === CAPWAP_DATA_PORT) && end - p >= CAPWAP_MIN_HDR) {
      // RFC 5415 §4.3: preamble (version 0, type 0: a CAPWAP header; type 1 is DTLS, encrypted),
      // then HLEN (header length in 32-bit words, Radio MAC and wireless information included),
      // RID, WBID, and the T (native frame of the binding, else 802.3), F (fragment) and K
      // (keep-alive) flags. A keep-alive carries message elements, not a frame; fragments are left
      // whole (a frame split over datagrams is rare on the data channel: the path MTU is known).
      if (b[p] !== 0) return;
      const word = ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      const hlen = ((word >>> 19) & 0x1f) * 4;
      if (hlen < CAPWAP_MIN_HDR || end - p <= hlen || (word & 0x88) !== 0) return;
      const q = p + hlen;
      if ((word & 0x100) === 0) {
        if (end - q >= 14) this.setInner(INNER_ETH, q, end, 'capwap');
      } else if (((word >>> 9) & 0x1f) === CAPWAP_WBID_80211 && end - q >= 2) {
        this.setInner(this.capwapSwapped(b[q], b[q + 1], dp === CAPWAP_DATA_PORT) ? INNER_WLAN_SWAPPED : INNER_WLAN, q, end, 'capwap');
      }
    }
  }

  /**
   * Whether this CAPWAP frame's Frame Control is swapped. An access point swaps all its frames or
   * none, but some frames read right both ways (an association request with the power-management
   * bit, or a response without it): those follow the verdict of the same access point's last
   * unambiguous frame, kept in a small table keyed by its address and port (the side that is not
   * the controller's 5247).
   */
  private capwapSwapped(first: number, second: number, toController: boolean): boolean {
    const plain = wlanFcPlausible(first, second);
    const swapped = wlanFcPlausible(second, first);
    const m = this.m;
    const a = toController ? m.src : m.dst;
    let h = Math.imul(a[0] ^ a[1] ^ a[2] ^ a[3], 0x9e3779b1) ^ (toController ? m.srcPort : m.dstPort);
    h = (h ^ (h >>> 15)) | 1;
    const slot = (h >>> 8) & (CAPWAP_APS - 1);
    if (plain !== swapped) {
      this.capwapKeys[slot] = h;
      this.capwapVerdict[slot] = swapped ? 1 : 0;
      return swapped;
    }
    return swapped && this.capwapKeys[slot] === h && this.capwapVerdict[slot] === 1;
  }

  private setInner(kind: number, off: number, end: number, service: string): void {
    this.innerKind = kind;
    this.innerService = service;
    this.innerOff = off;
    this.innerEnd = end;
  }

  private gre(off: number, end: number): number {
    const m = this.m;
    const b = m.buf;
    if (end - off < GRE_MIN_HDR) {
      this.w.add('gre.truncated');
      return DROP;
    }
    const flags = b[off];
    const ver = b[off + 1] & 0x07;
    const ptype = (b[off + 2] << 8) | b[off + 3];
    if (ver !== 0) {
      // GRE v1 (PPTP) carries PPP; not decoded further.
      m.payloadOff = off;
      return IP_OTHER;
    }
    let hl = GRE_MIN_HDR;
    if (flags & 0x80) hl += 4; // checksum + reserved
    if (flags & 0x20) hl += 4; // key
    if (flags & 0x10) hl += 4; // sequence
    if (end - off < hl) {
      this.w.add('gre.truncated');
      return DROP;
    }
    if (++m.tunnelDepth > MAX_TUNNEL_DEPTH) {
      this.w.add('tunnel.too_deep');
      return DROP;
    }
    off += hl;
    if (ptype === ETH_TEB) return this.ethernet(off, end);
    if (ptype === GRE_ERSPAN) {
      // Type I has no ERSPAN header and no GRE sequence number; type II an 8-byte header.
      if ((flags & 0x10) === 0) return this.ethernet(off, end);
      if (end - off < ERSPAN2_HDR) {
        this.w.add('erspan.truncated');
        return DROP;
      }
      return this.ethernet(off + ERSPAN2_HDR, end);
    }
    if (ptype === GRE_ERSPAN3) {
      // Type III: a 12-byte header, then an 8-byte platform-specific subheader when O is set.
      const h = end - off >= ERSPAN3_HDR ? ERSPAN3_HDR + ((b[off + 11] & 0x01) !== 0 ? ERSPAN3_PLATFORM : 0) : Infinity;
      if (end - off < h) {
        this.w.add('erspan.truncated');
        return DROP;
      }
      return this.ethernet(off + h, end);
    }
    if (ptype === ETH_IPV4) return this.ipv4(off, end);
    if (ptype === ETH_IPV6) return this.ipv6(off, end);
    m.payloadOff = off;
    return IP_OTHER;
  }
}

/** Whether `fc0, fc1` can be an 802.11 Frame Control field (IEEE Std 802.11-2020 §9.2.4.1). */
function wlanFcPlausible(fc0: number, fc1: number): boolean {
  if ((fc0 & 3) !== 0) return false;
  const type = (fc0 >> 2) & 3;
  if (type === WLAN_MGMT || type === WLAN_CONTROL) {
    // Management and control frames never go to or from the distribution system, and only the
    // robust management frames (disassociation, deauthentication, action) are ever protected.
    if ((fc1 & 3) !== 0) return false;
    const sub = fc0 >> 4;
    return (fc1 & WLAN_PROTECTED) === 0 || (type === WLAN_MGMT && (sub === 10 || sub === 12 || sub === 13 || sub === 14));
  }
  // A data frame relayed by an access point goes to or comes from the distribution system.
  return type === WLAN_DATA && (fc1 & 3) !== 0;
}

/**
 * Whether a CAPWAP-carried 802.11 frame's Frame Control field arrived with its two bytes swapped,
 * as Cisco's access points and controllers send it (tshark's capwap.swap_fc preference, on by
 * default): only when the swapped reading is a possible field and the plain one is not.
 */
export function wlanFcSwapped(first: number, second: number): boolean {
  return wlanFcPlausible(second, first) && !wlanFcPlausible(first, second);
}
