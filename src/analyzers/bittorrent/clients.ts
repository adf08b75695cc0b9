// Which BitTorrent client a peer id (or a DHT "v" key) names. BEP 20 describes the two layouts:
// Azureus style "-XXVVVV-" (a two-character client code and four version characters, then
// random bytes) and Shadow/mainline style ("M7-2-2--": a letter and dash-separated digits).
// The codes below are the ones BEP 20 and the clients themselves publish; an unknown code is
// reported as such, its raw prefix kept in the log.

const AZUREUS: Record<string, string> = {
  '7T': 'aTorrent',
  AB: 'AnyEvent::BitTorrent',
  AG: 'Ares',
  'A~': 'Ares',
  AR: 'Arctic',
  AT: 'Artemis',
  AV: 'Avicora',
  AX: 'BitPump',
  AZ: 'Vuze',
  BB: 'BitBuddy',
  BC: 'BitComet',
  BE: 'Baretorrent',
  BF: 'Bitflu',
  BG: 'BTG',
  BI: 'BiglyBT',
  BL: 'BitCometLite',
  BP: 'BitTorrent Pro',
  BR: 'BitRocket',
  BS: 'BTSlave',
  BT: 'BitTorrent',
  BW: 'BitWombat',
  CD: 'Enhanced CTorrent',
  CT: 'CTorrent',
  DE: 'Deluge',
  DP: 'Propagate Data Client',
  EB: 'EBit',
  ES: 'electric sheep',
  FC: 'FileCroc',
  FD: 'Free Download Manager',
  FT: 'FoxTorrent',
  FW: 'FrostWire',
  FX: 'Freebox BitTorrent',
  GS: 'GSTorrent',
  HL: 'Halite',
  HN: 'Hydranode',
  IL: 'iLivid',
  KG: 'KGet',
  KT: 'KTorrent',
  LC: 'LeechCraft',
  LH: 'LH-ABC',
  LP: 'Lphant',
  LT: 'libtorrent',
  lt: 'libTorrent',
  LW: 'LimeWire',
  MO: 'MonoTorrent',
  MP: 'MooPolice',
  MR: 'Miro',
  MT: 'MoonlightTorrent',
  NB: 'Net::BitTorrent',
  NX: 'Net Transport',
  OS: 'OneSwarm',
  OT: 'OmegaTorrent',
  PD: 'Pando',
  PI: 'PicoTorrent',
  qB: 'qBittorrent',
  QD: 'QQDownload',
  QT: 'Qt 4 Torrent example',
  RT: 'Retriever',
  SB: 'Swiftbit',
  SD: 'Thunder',
  SM: 'SoMud',
  SP: 'BitSpirit',
  SS: 'SwarmScope',
  ST: 'SymTorrent',
  SZ: 'Shareaza',
  'S~': 'Shareaza',
  TB: 'Torch',
  TL: 'Tribler',
  TN: 'TorrentDotNET',
  TR: 'Transmission',
  TS: 'Torrentstorm',
  TT: 'TuoTu',
  UL: 'uLeecher!',
  UM: 'µTorrent Mac',
  UT: 'µTorrent',
  UW: 'µTorrent Web',
  VG: 'Vagaa',
  WD: 'WebTorrent Desktop',
  WT: 'BitLet',
  WW: 'WebTorrent',
  WY: 'FireTorrent',
  XF: 'Xfplay',
  XL: 'Xunlei',
  XS: 'XSwifter',
  XT: 'XanTorrent',
  XX: 'Xtorrent',
  ZT: 'ZipTorrent',
};

/** µTorrent, its Mac and Web versions, BitTorrent and BitTorrent Pro. */
const BITTORRENT_INC = new Set(['UT', 'UM', 'UW', 'BT', 'BP']);

const SHADOW: Record<string, string> = { M: 'BitTorrent', Q: 'Queen Bee', T: 'BitTornado', A: 'ABC', O: 'Osprey Permaseed', R: 'Tribler', S: 'Shadow' };

export interface Client {
  name: string;
  /** Dotted version, '' when the id carries none. */
  version: string;
  /** The id's readable prefix ("-UT3550-", "M7-2-2--"). */
  prefix: string;
}

function versionChar(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 36;
  return -1;
}

/** The client a 20-byte peer id names, or null. */
export function clientOfPeerId(id: Uint8Array): Client | null {
  if (id.length < 8) return null;
  const ch = (i: number): string => String.fromCharCode(id[i]);
  if (id[0] === 0x2d && id[7] === 0x2d) {
    const code = ch(1) + ch(2);
    const name = AZUREUS[code];
    const digits = [3, 4, 5, 6].map((i) => id[i]);
    if (digits.some((d) => versionChar(d) < 0)) return name !== undefined ? { name, version: '', prefix: `-${code}` } : null;
    const prefix = `-${code}${digits.map((d) => String.fromCharCode(d)).join('')}-`;
    if (name === undefined) return { name: `unknown client ${code}`, version: '', prefix };
    let version: string;
    if (code === 'TR') {
      // Transmission: "-TR2940-" is 2.94, "-TR300Z-" 3.00 (Z and X mark development builds).
      const last = String.fromCharCode(digits[3]);
      const minor = String.fromCharCode(digits[1], digits[2]);
      version = `${String.fromCharCode(digits[0])}.${minor}${last === 'Z' || last === 'X' ? '+' : last === '0' ? '' : last}`;
    } else if (BITTORRENT_INC.has(code)) {
      // BitTorrent Inc.'s clients: three version digits, then the release type (B beta, A alpha…).
      const parts = digits.slice(0, 3).map(versionChar);
      const last = versionChar(digits[3]);
      if (last > 0 && last < 10) parts.push(last);
      version = parts.join('.');
    } else {
      const parts = digits.map(versionChar);
      while (parts.length > 2 && parts[parts.length - 1] === 0) parts.pop();
      version = parts.join('.');
    }
    return { name, version, prefix };
  }
  // Shadow style: a letter, then version digits and dashes up to the 8th byte.
  const first = ch(0);
  const shadow = SHADOW[first];
  if (shadow !== undefined && /^[0-9][0-9-]{6}$/.test(String.fromCharCode(...id.subarray(1, 8)))) {
    const prefix = String.fromCharCode(...id.subarray(0, 8));
    const nums = prefix.slice(1).split('-').filter((x) => x !== '');
    return { name: shadow, version: nums.join('.'), prefix };
  }
  if (ch(0) + ch(1) + ch(2) + ch(3) === 'exbc') return { name: 'BitComet', version: `${id[4]}.${id[5] < 10 ? '0' : ''}${id[5]}`, prefix: 'exbc' };
  return null;
}

/** A DHT message's "v": two client characters and two version bytes (BEP 20). */
export function clientOfDhtVersion(v: Uint8Array): Client | null {
  if (v.length < 2) return null;
  const code = String.fromCharCode(v[0], v[1]);
  const name = AZUREUS[code];
  if (name === undefined) return null;
  const version = v.length >= 4 ? `${v[2]}.${v[3]}` : '';
  return { name, version, prefix: code };
}

/** "µTorrent 3.5.5", or the name alone. */
export function clientText(c: Client): string {
  return c.version !== '' ? `${c.name} ${c.version}` : c.name;
}
