// NetBIOS datagram service parser (RFC 1002 §4.4) and the browser announcements it carries
// most often: an SMB Transaction to the mailslot \MAILSLOT\BROWSE (MS-BRWS §2.2; MS-SMB
// §2.2.4.33 for the mailslot write). Host, local-master and domain announcements name the
// host, its workgroup and its OS version. Pure: bytes in, fields or a status out.
import { decodeNetbiosName, readName, type NetbiosName } from '../dns/parse.js';
import { ipv4String, logString, u16 } from '../dns/text.js';

export const DGM_DIRECT_UNIQUE = 0x10;
export const DGM_DIRECT_GROUP = 0x11;
export const DGM_BROADCAST = 0x12;
export const DGM_ERROR = 0x13;
export const DGM_QUERY_REQUEST = 0x14;
export const DGM_POSITIVE_RESPONSE = 0x15;
export const DGM_NEGATIVE_RESPONSE = 0x16;
const DGM_HEADER_LEN = 10;
const DGM_DATA_HEADER_LEN = 14;

const SMB_HEADER_LEN = 32;
const SMB_COM_TRANSACTION = 0x25;
/** Transaction request word offsets (MS-CIFS §2.2.4.33.1), counted from the word count byte. */
const TRANS_DATA_COUNT = 1 + 2 * 11;
const TRANS_DATA_OFFSET = 1 + 2 * 12;
const TRANS_SETUP_COUNT = 1 + 2 * 13;
const TRANS_MIN_WORDS = 14;

/** MS-BRWS §2.2 browser frame opcodes. */
export const BROWSER_OPCODES: Record<number, string> = {
  1: 'HostAnnouncement',
  2: 'AnnouncementRequest',
  8: 'RequestElection',
  9: 'GetBackupListRequest',
  10: 'GetBackupListResponse',
  11: 'BecomeBackup',
  12: 'DomainAnnouncement',
  13: 'MasterAnnouncement',
  14: 'ResetStateRequest',
  15: 'LocalMasterAnnouncement',
};
const ANNOUNCEMENTS = new Set([1, 12, 15]);
/** MS-BRWS §2.2.1: opcode, update count, periodicity, 16-byte name, versions, type, … */
const ANN_NAME_OFF = 6;
const ANN_NAME_LEN = 16;
const ANN_OS_MAJOR = 22;
const ANN_OS_MINOR = 23;
const ANN_SERVER_TYPE = 24;
const ANN_COMMENT = 32;
const MAX_COMMENT = 256;
const MAX_MAILSLOT = 256;
const MAILSLOT_BROWSE = '\\MAILSLOT\\BROWSE';
const MAILSLOT_LANMAN = '\\MAILSLOT\\LANMAN';

export interface BrowserAnnouncement {
  opcode: string;
  /** The announcing host (domain announcements: the workgroup or domain). */
  server_name: string;
  os_major: number;
  os_minor: number;
  /** SV_TYPE_* bits (MS-RAP §5.1.1): workstation, server, domain controller, printer … */
  server_type: number;
  comment: string;
}

export interface NbDatagram {
  msgType: number;
  sourceIp: string;
  sourcePort: number;
  source?: NetbiosName;
  destination?: NetbiosName;
  mailslot?: string;
  browserOpcode?: string;
  announcement?: BrowserAnnouncement;
}

export type NbDatagramStatus = 'short' | 'bad_type' | 'bad_name';

export function parseNbDatagram(buf: Uint8Array, off: number, len: number): NbDatagram | NbDatagramStatus {
  if (len < DGM_HEADER_LEN) return 'short';
  const t = buf[off];
  if (t < DGM_DIRECT_UNIQUE || t > DGM_NEGATIVE_RESPONSE) return 'bad_type';
  const d: NbDatagram = { msgType: t, sourceIp: ipv4String(buf, off + 4), sourcePort: u16(buf, off + 8) };
  const end = off + len;
  if (t === DGM_ERROR) return d;
  if (t >= DGM_QUERY_REQUEST) {
    const n = readName(buf, off, end, off + DGM_HEADER_LEN);
    if (n === null) return 'bad_name';
    d.destination = decodeNetbiosName(n.text) ?? undefined;
    return d;
  }
  if (len < DGM_DATA_HEADER_LEN) return 'short';
  const src = readName(buf, off, end, off + DGM_DATA_HEADER_LEN);
  if (src === null) return 'bad_name';
  const dst = readName(buf, off, end, src.next);
  if (dst === null) return 'bad_name';
  d.source = decodeNetbiosName(src.text) ?? undefined;
  d.destination = decodeNetbiosName(dst.text) ?? undefined;
  smbMailslot(buf, dst.next, end, d);
  return d;
}

/** Reads an SMB Transaction mailslot write and, for \MAILSLOT\BROWSE, the browser frame. */
function smbMailslot(buf: Uint8Array, s: number, end: number, d: NbDatagram): void {
  if (s + SMB_HEADER_LEN + 1 > end) return;
  if (buf[s] !== 0xff || buf[s + 1] !== 0x53 || buf[s + 2] !== 0x4d || buf[s + 3] !== 0x42) return;
  if (buf[s + 4] !== SMB_COM_TRANSACTION) return;
  const w = s + SMB_HEADER_LEN;
  const words = buf[w];
  if (words < TRANS_MIN_WORDS || w + 1 + 2 * words + 2 > end) return;
  const dataCount = buf[w + TRANS_DATA_COUNT] | (buf[w + TRANS_DATA_COUNT + 1] << 8);
  const dataOffset = buf[w + TRANS_DATA_OFFSET] | (buf[w + TRANS_DATA_OFFSET + 1] << 8);
  const setupCount = buf[w + TRANS_SETUP_COUNT];
  if (words !== TRANS_MIN_WORDS + setupCount) return;
  // Bytes: byte count, then the null-terminated mailslot name.
  let p = w + 1 + 2 * words + 2;
  const nameStart = p;
  while (p < end && buf[p] !== 0 && p - nameStart < MAX_MAILSLOT) p++;
  d.mailslot = logString(buf, nameStart, p - nameStart);
  const data = s + dataOffset;
  if (dataCount < 1 || data + dataCount > end) return;
  const slot = d.mailslot.toUpperCase();
  if (slot !== MAILSLOT_BROWSE && slot !== MAILSLOT_LANMAN) return;
  const op = buf[data];
  d.browserOpcode = BROWSER_OPCODES[op] ?? `opcode-${op}`;
  if (!ANNOUNCEMENTS.has(op) || dataCount < ANN_COMMENT) return;
  let nameEnd = data + ANN_NAME_OFF;
  while (nameEnd < data + ANN_NAME_OFF + ANN_NAME_LEN && buf[nameEnd] !== 0) nameEnd++;
  const cStart = data + ANN_COMMENT;
  let cEnd = cStart;
  const cMax = Math.min(data + dataCount, cStart + MAX_COMMENT);
  while (cEnd < cMax && buf[cEnd] !== 0) cEnd++;
  d.announcement = {
    opcode: d.browserOpcode,
    server_name: logString(buf, data + ANN_NAME_OFF, nameEnd - data - ANN_NAME_OFF),
    os_major: buf[data + ANN_OS_MAJOR],
    os_minor: buf[data + ANN_OS_MINOR],
    server_type: (buf[data + ANN_SERVER_TYPE] | (buf[data + ANN_SERVER_TYPE + 1] << 8) | (buf[data + ANN_SERVER_TYPE + 2] << 16) | (buf[data + ANN_SERVER_TYPE + 3] << 24)) >>> 0,
    comment: logString(buf, cStart, cEnd - cStart),
  };
}
