// SSH parsing: pure functions from bytes to fields or a status.
// Identification strings: RFC 4253 §4.2; binary packets: §6; KEXINIT: §7.1; the server's host
// key in KEXDH_REPLY (§8), ECDH_REPLY (RFC 5656 §4) and KEX_DH_GEX_REPLY (RFC 4419 §3); public
// key blobs: RFC 4253 §6.6. SSH-1 packets and SSH_SMSG_PUBLIC_KEY: the SSH 1.5 protocol draft
// (draft-ylonen-ssh-protocol-00 §4, §5).
import { createHash } from 'node:crypto';

export const MSG_KEXINIT = 20;
export const MSG_NEWKEYS = 21;
/** KEXDH_REPLY and KEX_ECDH_REPLY, or KEX_DH_GEX_GROUP in group exchange. */
export const MSG_KEX_31 = 31;
export const MSG_KEX_DH_GEX_REPLY = 33;
export const SSH1_SMSG_PUBLIC_KEY = 2;
export const SSH1_CMSG_SESSION_KEY = 3;

/** RFC 4253 §4.2 allows 255 bytes; real servers stay well within this. */
export const MAX_IDENT_LINE = 1024;
/** Largest unencrypted packet buffered (KEXINIT and KEX replies are a few KiB at most). */
export const MAX_PACKET = 64 * 1024;
const MIN_PACKET_LENGTH = 5;
const COOKIE_LEN = 16;
/** A name-list longer than this is not plausible. */
const MAX_NAME_LIST = 16 * 1024;
const MAX_NAMES = 256;
const SSH1_HEADER = 4;
const SSH1_MAX_PACKET = 256 * 1024;

export type Status = 'need_more' | 'bad';

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export interface Line {
  text: string;
  /** Bytes consumed, terminator included. */
  consumed: number;
}

/** One line ending in LF (CR LF per the RFC; some send LF alone). */
export function parseLine(b: Uint8Array, off: number, len: number): Line | Status {
  const end = off + Math.min(len, MAX_IDENT_LINE);
  for (let i = off; i < end; i++) {
    if (b[i] !== 0x0a) continue;
    let stop = i;
    if (stop > off && b[stop - 1] === 0x0d) stop--;
    return { text: Buffer.from(b.buffer, b.byteOffset + off, stop - off).toString('latin1'), consumed: i + 1 - off };
  }
  return len >= MAX_IDENT_LINE ? 'bad' : 'need_more';
}

export interface Ident {
  /** "2.0", "1.99", "1.5" … */
  protoVersion: string;
  /** softwareversion and comments, as Zeek's software framework receives them. */
  software: string;
}

/** Splits "SSH-protoversion-softwareversion SP comments"; null if it is not one. */
export function splitIdent(line: string): Ident | null {
  const m = /^SSH-(\d+\.\d+)-(.*)$/.exec(line);
  if (m === null) return null;
  return { protoVersion: m[1], software: m[2] };
}

export interface Packet {
  msgType: number;
  payloadStart: number;
  payloadEnd: number;
  /** Bytes of the whole packet. */
  consumed: number;
}

/** An unencrypted SSH-2 binary packet (no MAC before the first NEWKEYS). */
export function parsePacket(b: Uint8Array, off: number, len: number): Packet | Status {
  if (len < 5) return 'need_more';
  const plen = u32(b, off);
  const pad = b[off + 4];
  if (plen < MIN_PACKET_LENGTH || plen > MAX_PACKET || pad + 1 >= plen) return 'bad';
  if (len < 4 + plen) return 'need_more';
  const payloadStart = off + 5;
  return { msgType: b[payloadStart], payloadStart, payloadEnd: off + 4 + plen - pad, consumed: 4 + plen };
}

export interface KexInit {
  kex: string[];
  hostKey: string[];
  encC2S: string[];
  encS2C: string[];
  macC2S: string[];
  macS2C: string[];
  cmpC2S: string[];
  cmpS2C: string[];
  langC2S: string[];
  langS2C: string[];
  firstKexFollows: boolean;
}

class Reader {
  bad = false;
  constructor(
    readonly b: Uint8Array,
    public p: number,
    readonly end: number,
  ) {}
  u32(): number {
    if (this.p + 4 > this.end) {
      this.bad = true;
      return 0;
    }
    const v = u32(this.b, this.p);
    this.p += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    if (n > this.end - this.p) {
      this.bad = true;
      this.p = this.end;
      return new Uint8Array(0);
    }
    const s = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return s;
  }
  /** SSH "string": uint32 length and bytes. */
  string(max = MAX_PACKET): Uint8Array {
    const n = this.u32();
    if (n > max) {
      this.bad = true;
      return new Uint8Array(0);
    }
    return this.bytes(n);
  }
  nameList(): string[] {
    const s = this.string(MAX_NAME_LIST);
    if (s.length === 0) return [];
    return Buffer.from(s).toString('latin1').split(',').slice(0, MAX_NAMES);
  }
}

/** KEXINIT payload, starting at its message type byte. */
export function parseKexInit(b: Uint8Array, off: number, len: number): KexInit | 'bad' {
  const r = new Reader(b, off, off + len);
  if (r.bytes(1)[0] !== MSG_KEXINIT) return 'bad';
  r.bytes(COOKIE_LEN);
  const k: KexInit = {
    kex: r.nameList(),
    hostKey: r.nameList(),
    encC2S: r.nameList(),
    encS2C: r.nameList(),
    macC2S: r.nameList(),
    macS2C: r.nameList(),
    cmpC2S: r.nameList(),
    cmpS2C: r.nameList(),
    langC2S: r.nameList(),
    langS2C: r.nameList(),
    firstKexFollows: r.bytes(1)[0] === 1,
  };
  return r.bad ? 'bad' : k;
}

/** The host key blob K_S that opens KEXDH_REPLY, KEX_ECDH_REPLY and KEX_DH_GEX_REPLY. */
export function parseHostKeyReply(b: Uint8Array, off: number, len: number): Uint8Array | 'bad' {
  const r = new Reader(b, off + 1, off + len);
  const k = r.string();
  return r.bad || k.length === 0 ? 'bad' : k;
}

export interface HostKey {
  /** Key type from the blob ("ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519" …). */
  type: string;
  /** RSA modulus / DSA p size in bits. */
  bits?: number;
  /** MD5 of the blob, colon-separated hex (Zeek's ssh.log host_key). */
  md5: string;
  /** "SHA256:" and unpadded base64 of SHA-256 of the blob (OpenSSH's fingerprint). */
  sha256: string;
}

function mpintBits(v: Uint8Array): number {
  let s = 0;
  while (s < v.length && v[s] === 0) s++;
  if (s === v.length) return 0;
  return (v.length - s - 1) * 8 + (32 - Math.clz32(v[s]));
}

export function colonHex(digest: Buffer): string {
  return digest.toString('hex').replace(/(..)(?!$)/g, '$1:');
}

/** Facts of a public key blob (RFC 4253 §6.6). */
export function hostKeyInfo(blob: Uint8Array): HostKey {
  const r = new Reader(blob, 0, blob.length);
  const type = Buffer.from(r.string(256)).toString('latin1');
  const out: HostKey = {
    type,
    md5: colonHex(createHash('md5').update(blob).digest()),
    sha256: 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''),
  };
  if (type === 'ssh-rsa') {
    r.string(); // e
    const n = r.string();
    if (!r.bad) out.bits = mpintBits(n);
  } else if (type === 'ssh-dss') {
    const p = r.string();
    if (!r.bad) out.bits = mpintBits(p);
  }
  return out;
}

export interface Ssh1Packet {
  type: number;
  dataStart: number;
  dataEnd: number;
  consumed: number;
}

/** An SSH-1 packet: length, 1–8 bytes of padding, type, data, CRC-32 (draft §4). */
export function parseSsh1Packet(b: Uint8Array, off: number, len: number): Ssh1Packet | Status {
  if (len < SSH1_HEADER) return 'need_more';
  const plen = u32(b, off);
  if (plen < 5 || plen > SSH1_MAX_PACKET) return 'bad';
  const pad = 8 - (plen % 8);
  const total = SSH1_HEADER + pad + plen;
  if (len < total) return 'need_more';
  const typeAt = off + SSH1_HEADER + pad;
  return { type: b[typeAt], dataStart: typeAt + 1, dataEnd: off + total - 4, consumed: total };
}

/** SSH-1 multiple-precision integer: uint16 bit count, then the bytes. */
function ssh1Mpint(r: Reader): Uint8Array {
  const hi = r.bytes(2);
  if (hi.length < 2) return hi;
  return r.bytes((((hi[0] << 8) | hi[1]) + 7) >> 3);
}

export interface Ssh1PublicKey {
  hostBits: number;
  hostExponent: Uint8Array;
  hostModulus: Uint8Array;
}

/** SSH_SMSG_PUBLIC_KEY data: cookie, server key, then the host key (draft §5). */
export function parseSsh1PublicKey(b: Uint8Array, off: number, len: number): Ssh1PublicKey | 'bad' {
  const r = new Reader(b, off, off + len);
  r.bytes(8);
  r.u32();
  ssh1Mpint(r);
  ssh1Mpint(r);
  const hostBits = r.u32();
  const hostExponent = ssh1Mpint(r);
  const hostModulus = ssh1Mpint(r);
  return r.bad ? 'bad' : { hostBits, hostExponent, hostModulus };
}
