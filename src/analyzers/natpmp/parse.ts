// NAT-PMP (RFC 6886) and PCP (RFC 6887), the port-mapping protocols a host speaks to its gateway
// on UDP 5351 (announcements go to 224.0.0.1 / ff02::1 port 5350). Both let any host ask the
// gateway, without authentication, to forward a port from the Internet to it; PCP's THIRD_PARTY
// option asks for another host. The first byte is the version: 0 NAT-PMP, 2 PCP (a PCP server
// answers a version-0 request in NAT-PMP, RFC 6887 §9). Pure: bytes in, fields out.
import { formatAddr } from '../../decode/packet.js';

export const NATPMP_PORT = 5351;
export const NATPMP_CLIENT_PORT = 5350;
const NATPMP_VERSION = 0;
const PCP_VERSION = 2;
/** RFC 6887 §7: a PCP message is at most 1,100 bytes, a multiple of 4, at least the 24-byte header. */
const PCP_MAX = 1100;
const PCP_HEADER = 24;
/** Options read per message. */
const MAX_OPTIONS = 16;

export const NATPMP_OPCODES: Readonly<Record<number, string>> = { 0: 'external_address', 1: 'map_udp', 2: 'map_tcp' };
export const NATPMP_RESULTS: Readonly<Record<number, string>> = { 0: 'SUCCESS', 1: 'UNSUPP_VERSION', 2: 'NOT_AUTHORIZED', 3: 'NETWORK_FAILURE', 4: 'NO_RESOURCES', 5: 'UNSUPP_OPCODE' };
export const PCP_OPCODES: Readonly<Record<number, string>> = { 0: 'announce', 1: 'map', 2: 'peer' };
export const PCP_RESULTS: Readonly<Record<number, string>> = {
  0: 'SUCCESS', 1: 'UNSUPP_VERSION', 2: 'NOT_AUTHORIZED', 3: 'MALFORMED_REQUEST', 4: 'UNSUPP_OPCODE', 5: 'UNSUPP_OPTION', 6: 'MALFORMED_OPTION',
  7: 'NETWORK_FAILURE', 8: 'NO_RESOURCES', 9: 'UNSUPP_PROTOCOL', 10: 'USER_EX_QUOTA', 11: 'CANNOT_PROVIDE_EXTERNAL', 12: 'ADDRESS_MISMATCH', 13: 'EXCESSIVE_REMOTE_PEERS',
};
/** PCP options (RFC 6887 §13). */
export const PCP_OPTION_THIRD_PARTY = 1;
export const PCP_OPTION_NAMES: Readonly<Record<number, string>> = { 1: 'THIRD_PARTY', 2: 'PREFER_FAILURE', 3: 'FILTER' };

export interface PortMapMessage {
  protocol: 'nat-pmp' | 'pcp';
  response: boolean;
  /** The opcode, without PCP's R bit or NAT-PMP's +128. */
  opcode: number;
  result?: number;
  /** Seconds since the gateway's mappings were last reset (its epoch). */
  epoch?: number;
  /** Requested or granted lifetime, seconds (0 deletes a mapping). */
  lifetime?: number;
  external_ip?: string;
  /** The transport mapped: 6 TCP, 17 UDP (PCP also others; 0 all). */
  transport?: number;
  internal_port?: number;
  /** A request's suggested external port, a response's assigned one. */
  external_port?: number;
  /** PCP: the address the client says it sends from (the mapping's internal address). */
  client_ip?: string;
  /** PCP MAP/PEER: the mapping nonce, hex (pairs an answer with its request). */
  nonce?: string;
  /** PCP PEER: the remote peer. */
  remote_ip?: string;
  remote_port?: number;
  /** PCP THIRD_PARTY option: the internal address the mapping is for. */
  third_party?: string;
  options?: number[];
}

/** A 16-byte PCP address: IPv4-mapped addresses as dotted quads (RFC 6887 §5). */
function addr16(b: Uint8Array, o: number): string {
  let v4 = true;
  for (let i = 0; i < 10; i++) if (b[o + i] !== 0) v4 = false;
  if (v4 && b[o + 10] === 0xff && b[o + 11] === 0xff) return `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  const w = (i: number): number => ((b[o + i] << 24) | (b[o + i + 1] << 16) | (b[o + i + 2] << 8) | b[o + i + 3]) >>> 0;
  return formatAddr(w(0), w(4), w(8), w(12));
}

const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Parses one datagram; 'bad' when it is neither protocol's message. */
export function parsePortMap(b: Uint8Array, off: number, len: number): PortMapMessage | 'bad' {
  if (len < 2) return 'bad';
  if (b[off] === NATPMP_VERSION) return natpmp(b, off, len);
  if (b[off] === PCP_VERSION) return pcp(b, off, len);
  return 'bad';
}

function natpmp(b: Uint8Array, o: number, len: number): PortMapMessage | 'bad' {
  const op = b[o + 1];
  const response = op >= 128;
  const opcode = op & 0x7f;
  if (NATPMP_OPCODES[opcode] === undefined) return 'bad';
  const m: PortMapMessage = { protocol: 'nat-pmp', response, opcode };
  if (!response) {
    if (opcode === 0) return len === 2 ? m : 'bad';
    if (len < 12) return 'bad';
    m.transport = opcode === 1 ? 17 : 6;
    m.internal_port = u16(b, o + 4);
    m.external_port = u16(b, o + 6);
    m.lifetime = u32(b, o + 8);
    return m;
  }
  if (len < 8) return 'bad';
  m.result = u16(b, o + 2);
  m.epoch = u32(b, o + 4);
  if (opcode === 0) {
    if (len >= 12) m.external_ip = `${b[o + 8]}.${b[o + 9]}.${b[o + 10]}.${b[o + 11]}`;
  } else if (len >= 16) {
    m.transport = opcode === 1 ? 17 : 6;
    m.internal_port = u16(b, o + 8);
    m.external_port = u16(b, o + 10);
    m.lifetime = u32(b, o + 12);
  }
  return m;
}

function pcp(b: Uint8Array, o: number, len: number): PortMapMessage | 'bad' {
  if (len < PCP_HEADER || len > PCP_MAX) return 'bad';
  const response = (b[o + 1] & 0x80) !== 0;
  const opcode = b[o + 1] & 0x7f;
  const m: PortMapMessage = { protocol: 'pcp', response, opcode, lifetime: u32(b, o + 4) };
  if (response) {
    m.result = b[o + 3];
    m.epoch = u32(b, o + 8);
  } else m.client_ip = addr16(b, o + 8);
  let p = o + PCP_HEADER;
  const end = o + len;
  if (opcode === 1 || opcode === 2) {
    if (end - p < 36) return m;
    m.nonce = Buffer.from(b.buffer, b.byteOffset + p, 12).toString('hex');
    m.transport = b[p + 12];
    m.internal_port = u16(b, p + 16);
    m.external_port = u16(b, p + 18);
    const ext = addr16(b, p + 20);
    if (response || (ext !== '::' && ext !== '0.0.0.0')) m.external_ip = ext;
    p += 36;
    if (opcode === 2) {
      if (end - p < 20) return m;
      m.remote_port = u16(b, p);
      m.remote_ip = addr16(b, p + 4);
      p += 20;
    }
  }
  // Options (§7.3): code, reserved, length, data padded to 4 bytes.
  const options: number[] = [];
  while (end - p >= 4 && options.length < MAX_OPTIONS) {
    const code = b[p];
    const olen = u16(b, p + 2);
    if (olen > end - p - 4) break;
    options.push(code);
    if (code === PCP_OPTION_THIRD_PARTY && olen >= 16) m.third_party = addr16(b, p + 4);
    p += 4 + ((olen + 3) & ~3);
  }
  if (options.length > 0) m.options = options;
  return m;
}

/** The opcode's name in its protocol. */
export function opcodeName(m: PortMapMessage): string {
  return (m.protocol === 'pcp' ? PCP_OPCODES : NATPMP_OPCODES)[m.opcode] ?? String(m.opcode);
}

/** The result code's name in its protocol. */
export function resultName(m: PortMapMessage): string | undefined {
  if (m.result === undefined) return undefined;
  return (m.protocol === 'pcp' ? PCP_RESULTS : NATPMP_RESULTS)[m.result] ?? String(m.result);
}
