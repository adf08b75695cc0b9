// The Zabbix protocol (Zabbix manual, "Zabbix protocols" → "Header"): every message is
//   "ZBXD" | flags (1 byte) | data length | reserved | data
// with flags 0x01 (Zabbix protocol, always set), 0x02 (data compressed with zlib; "reserved" is
// then the uncompressed length) and 0x04 (large packet: both lengths are 8 bytes instead of 4),
// lengths little-endian. Passive checks: the server (or proxy) connects to the agent on 10050 and
// sends an item key, the agent answers with the value or "ZBX_NOTSUPPORTED\0<reason>"; servers
// before 4.0 may send the bare key ending with "\n", without the header. Active checks: the agent
// connects to the server on 10051 and sends JSON requests ("active checks", "agent data",
// "active check heartbeat"; zabbix_sender's "sender data", proxies' "proxy config", "proxy data"
// …), the server answers {"response":"success", …}. Pure functions only.

export const ZABBIX_AGENT_PORT = 10050;
export const ZABBIX_SERVER_PORT = 10051;

/** "ZBXD" */
const MAGIC = [0x5a, 0x42, 0x58, 0x44];
export const FLAG_PROTOCOL = 0x01;
export const FLAG_COMPRESSED = 0x02;
export const FLAG_LARGE = 0x04;
const KNOWN_FLAGS = FLAG_PROTOCOL | FLAG_COMPRESSED | FLAG_LARGE;
/** Magic, flags, two 4-byte lengths. */
export const HEADER_LEN = 13;
/** Magic, flags, two 8-byte lengths. */
export const LARGE_HEADER_LEN = 21;
/**
 * Zabbix itself refuses messages over 1 GiB (ZBX_MAX_RECV_LARGE_DATA_SIZE); a larger length, or
 * an 8-byte one whose high word is set, means the stream is not Zabbix.
 */
export const MAX_DATA_LEN = 0x40000000;

/** The value a passive check answers when the agent cannot get the item. */
export const NOT_SUPPORTED = 'ZBX_NOTSUPPORTED';

/** How many of `MAGIC`'s bytes `buf` starts with match (all four: 4). */
export function magicPrefix(buf: Uint8Array, off: number, len: number): number {
  const n = Math.min(len, 4);
  for (let i = 0; i < n; i++) if (buf[off + i] !== MAGIC[i]) return -1;
  return n;
}

/** A flags byte with the protocol bit and no unknown bit. */
export function validFlags(flags: number): boolean {
  return (flags & FLAG_PROTOCOL) !== 0 && (flags & ~KNOWN_FLAGS) === 0;
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export interface Header {
  flags: number;
  headerLen: number;
  dataLen: number;
  /** The uncompressed length of compressed data (else reserved, 0). */
  reserved: number;
}

/** The header at `off`, null when `len` bytes do not hold all of it or it is not a Zabbix header. */
export function readHeader(buf: Uint8Array, off: number, len: number): Header | null {
  if (len < HEADER_LEN || magicPrefix(buf, off, len) !== 4) return null;
  const flags = buf[off + 4];
  if (!validFlags(flags)) return null;
  if ((flags & FLAG_LARGE) === 0) return { flags, headerLen: HEADER_LEN, dataLen: u32(buf, off + 5), reserved: u32(buf, off + 9) };
  if (len < LARGE_HEADER_LEN || u32(buf, off + 9) !== 0 || u32(buf, off + 17) !== 0) return null;
  return { flags, headerLen: LARGE_HEADER_LEN, dataLen: u32(buf, off + 5), reserved: u32(buf, off + 13) };
}

/**
 * Total length (header included) of the message at `off`: 0 when more bytes are needed to tell,
 * -1 when it is not a Zabbix header or its length is impossible.
 */
export function messageLength(buf: Uint8Array, off: number, len: number): number {
  const m = magicPrefix(buf, off, len);
  if (m < 0) return -1;
  if (len < 5) return 0;
  const flags = buf[off + 4];
  if (!validFlags(flags)) return -1;
  const need = (flags & FLAG_LARGE) !== 0 ? LARGE_HEADER_LEN : HEADER_LEN;
  if (len < need) return 0;
  const h = readHeader(buf, off, len);
  if (h === null || h.dataLen > MAX_DATA_LEN || h.reserved > MAX_DATA_LEN) return -1;
  return h.headerLen + h.dataLen;
}

/** Item keys whose values describe the host itself; no other item value is ever kept. */
export const IDENTITY_KEYS: ReadonlyMap<string, string> = new Map([
  ['agent.version', 'agent_version'],
  ['agent.hostname', 'agent_hostname'],
  ['system.hostname', 'system_hostname'],
  ['system.uname', 'system_uname'],
  ['system.sw.os', 'system_sw_os'],
]);

/**
 * A passive check's item key as sent ("proc.num[]", "vfs.fs.size[/,free]"): printable text up
 * to an end of line, or null. The key's name is a run of letters, digits, "_", "-" and "." (the
 * manual's item key format); parameters in brackets follow.
 */
export function parseItemKey(text: string): string | null {
  let s = text;
  const nl = s.indexOf('\n');
  if (nl >= 0) s = s.slice(0, nl);
  if (s.endsWith('\r')) s = s.slice(0, -1);
  if (!/^[A-Za-z0-9_.-]+(\[[\x20-\x7e]*\])?$/.test(s)) return null;
  return s;
}

/** A passive check's answer: the value, or ZBX_NOTSUPPORTED and its reason. */
export interface PassiveAnswer {
  supported: boolean;
  value: string;
}

export function parsePassiveAnswer(text: string): PassiveAnswer {
  if (text.startsWith(NOT_SUPPORTED)) {
    const nul = text.indexOf('\0');
    return { supported: false, value: nul >= 0 ? text.slice(nul + 1).replace(/\0+$/, '') : '' };
  }
  return { supported: true, value: text.replace(/\0+$/, '') };
}

/** Printable text of at most `max` characters, or undefined. */
export function printable(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const s = v.length > max ? v.slice(0, max) : v;
  return /^[\x20-\x7e\u00a0-\uffff]*$/.test(s) ? s.trim() : undefined;
}
