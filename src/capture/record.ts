// The one packet record a capture reader fills and hands on, reused for every packet.

export class PacketRecord {
  /** Buffer holding the packet bytes; valid only during the callback. */
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  off = 0;
  caplen = 0;
  wirelen = 0;
  /** Seconds since the epoch (whole part) and the fraction in nanoseconds, kept exact. */
  tsSec = 0;
  tsNsec = 0;
  linkType = 0;
  interfaceId = 0;
  /** 1-based packet number within its file, as tshark and Wireshark number frames. */
  packetNo = 0;
}

export const enum LinkType {
  NULL = 0,
  ETHERNET = 1,
  RAW_OPENBSD = 12,
  RAW_BSD = 14,
  RAW = 101,
  LOOP = 108,
  LINUX_SLL = 113,
  IPV4 = 228,
  IPV6 = 229,
  LINUX_SLL2 = 276,
}

export function linkTypeName(lt: number): string {
  switch (lt) {
    case 0: return 'null';
    case 1: return 'ethernet';
    case 12: case 14: case 101: return 'raw';
    case 108: return 'loop';
    case 113: return 'linux_sll';
    case 228: return 'ipv4';
    case 229: return 'ipv6';
    case 276: return 'linux_sll2';
    case 105: return 'ieee802_11';
    case 127: return 'ieee802_11_radiotap';
    case 192: return 'ppi';
    case 119: return 'ieee802_11_prism';
    case 163: return 'ieee802_11_avs';
    case 9: return 'ppp';
    case 50: return 'ppp_hdlc';
    case 51: return 'ppp_ether';
    case 104: return 'c_hdlc';
    case 166: return 'ppp_pppd';
    case 239: return 'nflog';
    default: return `linktype_${lt}`;
  }
}
