// Per-flow SSH state (RFC 4253): each side sends an identification line (a server may send other
// lines first), then binary packets in the clear until its NEWKEYS, encrypted after. KEXINITs give
// HASSH/HASSHServer and the negotiated algorithms, the KEX reply the server's host key. SSH-1
// (client "SSH-1.x") carries the host key in SSH_SMSG_PUBLIC_KEY. After encryption only sizes are
// seen: Zeek's heuristic (analyzer/protocol/ssh/SSH.cc) reads authentication outcomes from the
// sizes of the server's encrypted segments. Buffers are bounded by MAX_PACKET per direction.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import {
  MAX_IDENT_LINE,
  MSG_KEXINIT,
  MSG_KEX_31,
  MSG_KEX_DH_GEX_REPLY,
  MSG_NEWKEYS,
  SSH1_CMSG_SESSION_KEY,
  SSH1_SMSG_PUBLIC_KEY,
  colonHex,
  hostKeyInfo,
  parseHostKeyReply,
  parseKexInit,
  parseLine,
  parsePacket,
  parseSsh1Packet,
  parseSsh1PublicKey,
  splitIdent,
  type KexInit,
} from './parse.js';
import { hasshServerString, hasshString, md5, negotiate, negotiateBoth } from './algorithms.js';
import type { SshSession } from './events.js';
import { createHash } from 'node:crypto';

/** Lines a server may send before its identification (RFC 4253 §4.2). */
const MAX_PRE_IDENT_LINES = 32;
/** Zeek's heuristic: a "none" USERAUTH_SUCCESS is 16 bytes smaller than SERVICE_ACCEPT. */
const AUTH_SUCCESS_DELTA = 16;
/** Zeek's heuristic: a server banner after SERVICE_ACCEPT is this much larger. */
const BANNER_DELTA = 256;
/** Compression methods under which Zeek gives up guessing authentication from sizes. */
const COMPRESSION = ['zlib', 'zlib@openssh.com'];

const enum State {
  Ident,
  Packets,
  Encrypted,
  Done,
}

const EMPTY = new Uint8Array(0);

class Side {
  state = State.Ident;
  carry: Uint8Array = EMPTY;
  preLines = 0;
  ident: string | undefined;
  protoVersion = '';
  kex: KexInit | null = null;
}

export class SshAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private confirmed = false;
  private started = false;
  private logged = false;
  private tsSec = 0;
  private tsNsec = 0;
  private packet = 0;
  private ssh1 = false;
  private hostKey: string | undefined;
  private hassh: string | undefined;
  private hasshServer: string | undefined;
  // Zeek's encrypted-size heuristic (SSH.cc ProcessEncrypted)
  private authDecided = false;
  private sawEncryptedClient = false;
  private serviceAcceptSize = 0;
  private userauthFailureSize = 0;
  private skippedBanner = false;
  private authAttempts = 0;
  private authSuccess: boolean | undefined;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    if (s.state === State.Done) return;
    if (s.state === State.Encrypted) {
      this.encrypted(ctx, isOrig, len);
      return;
    }
    let b = buf;
    let o = off;
    let l = len;
    if (s.carry.length > 0) {
      b = Uint8Array.from(Buffer.concat([s.carry, buf.subarray(off, off + len)]));
      o = 0;
      l = b.length;
      s.carry = EMPTY;
    }
    while (l > 0 && (s.state === State.Ident || s.state === State.Packets)) {
      const n = s.state === State.Ident ? this.identLine(ctx, isOrig, s, b, o, l) : this.packet1or2(ctx, isOrig, s, b, o, l);
      if (n <= 0) break;
      o += n;
      l -= n;
    }
    if (l <= 0) return;
    // The loop's handlers move the state on; read it afresh.
    const st = s.state as State;
    if (st === State.Encrypted) this.encrypted(ctx, isOrig, l);
    else if (st !== State.Done) s.carry = b.slice(o, o + l);
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    const s = this.sides[isOrig ? 0 : 1];
    // Lost bytes: framing is gone before encryption, packet sizes are meaningless after it.
    s.state = State.Done;
    s.carry = EMPTY;
    this.authDecided = true;
  }

  end(ctx: AnalyzerContext): void {
    if (this.started && !this.logged) this.log(ctx);
  }

  private begin(ctx: AnalyzerContext): void {
    if (this.started) return;
    this.started = true;
    this.tsSec = ctx.packet.tsSec;
    this.tsNsec = ctx.packet.tsNsec;
    this.packet = ctx.packet.packetNo;
  }

  /** Returns bytes consumed, 0 for "need more", -1 after giving up. */
  private identLine(ctx: AnalyzerContext, isOrig: boolean, s: Side, b: Uint8Array, o: number, l: number): number {
    const line = parseLine(b, o, l);
    if (line === 'need_more') return 0;
    if (line === 'bad') return this.fail(ctx, s, 'ssh.ident_too_long');
    const id = splitIdent(line.text);
    if (id === null) {
      // Only the server may talk before identifying itself; the client's first line must be it.
      if (isOrig || ++s.preLines > MAX_PRE_IDENT_LINES) return this.fail(ctx, s, 'ssh.no_ident');
      return line.consumed;
    }
    this.begin(ctx);
    s.ident = line.text.slice(0, MAX_IDENT_LINE);
    s.protoVersion = id.protoVersion;
    s.state = State.Packets;
    if (!this.confirmed) {
      ctx.confirm('ssh');
      this.confirmed = true;
    }
    const c = ctx.conn;
    // Zeek's software framework gets the line without its "SSH-x.y-" prefix.
    const software = line.text.replace(/^SSH[0-9.-]+/, '');
    ctx.emit({ type: 'ssh.ident', is_orig: isOrig, client: isOrig, ident: s.ident, proto_version: id.protoVersion, software: id.software, packet: ctx.packet.packetNo });
    const host = isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
    const sw: Record<string, unknown> = { type: 'software', host, software_type: isOrig ? 'SSH::CLIENT' : 'SSH::SERVER', unparsed_version: software };
    if (!isOrig) sw.host_p = c.rPort;
    ctx.emit(sw as { type: string });
    if (isOrig && id.protoVersion.startsWith('1.')) this.ssh1 = true;
    return line.consumed;
  }

  private fail(ctx: AnalyzerContext, s: Side, weird: string): number {
    ctx.weird(weird);
    s.state = State.Done;
    s.carry = EMPTY;
    return -1;
  }

  private packet1or2(ctx: AnalyzerContext, isOrig: boolean, s: Side, b: Uint8Array, o: number, l: number): number {
    // A server speaking 1.99 follows the client; a 1.5 server speaks SSH-1 whatever happens.
    if (this.ssh1 || s.protoVersion.startsWith('1.') && s.protoVersion !== '1.99') return this.packetV1(ctx, isOrig, s, b, o, l);
    const p = parsePacket(b, o, l);
    if (p === 'need_more') return 0;
    if (p === 'bad') return this.fail(ctx, s, 'ssh.bad_packet');
    const n = p.payloadEnd - p.payloadStart;
    switch (p.msgType) {
      case MSG_KEXINIT: {
        const k = parseKexInit(b, p.payloadStart, n);
        if (k === 'bad') {
          ctx.weird('ssh.bad_kexinit');
          break;
        }
        s.kex = k;
        const str = isOrig ? hasshString(k) : hasshServerString(k);
        const hash = md5(str);
        if (isOrig) this.hassh ??= hash;
        else this.hasshServer ??= hash;
        ctx.emit({ type: 'ssh.kexinit', is_orig: isOrig, client: isOrig, algorithms: k, hassh: hash, hassh_algorithms: str, packet: ctx.packet.packetNo });
        break;
      }
      case MSG_KEX_31:
      case MSG_KEX_DH_GEX_REPLY: {
        if (isOrig || this.hostKey !== undefined) break;
        // In group exchange message 31 is the group, the host key comes in message 33.
        const gex = this.kexAlg().startsWith('diffie-hellman-group-exchange');
        if (gex !== (p.msgType === MSG_KEX_DH_GEX_REPLY)) break;
        const blob = parseHostKeyReply(b, p.payloadStart, n);
        if (blob === 'bad') {
          ctx.weird('ssh.bad_kex_reply');
          break;
        }
        const hk = hostKeyInfo(blob);
        this.hostKey = hk.md5;
        const ev: Record<string, unknown> = { type: 'ssh.host_key', key_type: hk.type, fingerprint: hk.md5, fingerprint_sha256: hk.sha256, ssh1: false, packet: ctx.packet.packetNo };
        if (hk.bits !== undefined) ev.bits = hk.bits;
        ctx.emit(ev as { type: string });
        break;
      }
      case MSG_NEWKEYS:
        s.state = State.Encrypted;
        break;
    }
    return p.consumed;
  }

  private packetV1(ctx: AnalyzerContext, isOrig: boolean, s: Side, b: Uint8Array, o: number, l: number): number {
    this.ssh1 = true;
    const p = parseSsh1Packet(b, o, l);
    if (p === 'need_more') return 0;
    if (p === 'bad') return this.fail(ctx, s, 'ssh.bad_ssh1_packet');
    if (!isOrig && p.type === SSH1_SMSG_PUBLIC_KEY && this.hostKey === undefined) {
      const k = parseSsh1PublicKey(b, p.dataStart, p.dataEnd - p.dataStart);
      if (k === 'bad') ctx.weird('ssh.bad_ssh1_public_key');
      else {
        // Zeek fingerprints an SSH-1 host key as MD5 over modulus then exponent.
        const h = createHash('md5').update(k.hostModulus).update(k.hostExponent);
        this.hostKey = colonHex(h.digest());
        const sha = createHash('sha256').update(k.hostModulus).update(k.hostExponent).digest('base64').replace(/=+$/, '');
        ctx.emit({ type: 'ssh.host_key', key_type: 'rsa1', bits: k.hostBits, fingerprint: this.hostKey, fingerprint_sha256: 'SHA256:' + sha, ssh1: true, packet: ctx.packet.packetNo });
      }
    } else if (isOrig && p.type === SSH1_CMSG_SESSION_KEY) {
      // Everything after the session key is encrypted, both ways; SSH-1 sizes tell nothing here.
      this.sides[0].state = State.Done;
      this.sides[1].state = State.Done;
      return -1;
    }
    return p.consumed;
  }

  private kexAlg(): string {
    const c = this.sides[0].kex;
    const sv = this.sides[1].kex;
    return c !== null && sv !== null ? negotiate(c.kex, sv.kex) : '';
  }

  /** Zeek's guess of authentication outcomes from encrypted segment sizes (SSH-2 only). */
  private encrypted(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    if (this.authDecided || this.ssh1) return;
    if (isOrig) {
      this.sawEncryptedClient = true;
      return;
    }
    if (!this.sawEncryptedClient) return;
    if (this.serviceAcceptSize === 0) {
      this.serviceAcceptSize = len;
      return;
    }
    if (this.userauthFailureSize === 0 && len + AUTH_SUCCESS_DELTA === this.serviceAcceptSize) {
      this.authResult(ctx, true);
      return;
    }
    if (this.userauthFailureSize === 0) {
      if (!this.skippedBanner && len - this.serviceAcceptSize > BANNER_DELTA) {
        this.skippedBanner = true;
        return;
      }
      this.userauthFailureSize = len;
      return;
    }
    if (len === this.userauthFailureSize) {
      this.authResult(ctx, false);
      return;
    }
    if (len - this.serviceAcceptSize === -AUTH_SUCCESS_DELTA) this.authResult(ctx, true);
  }

  private authResult(ctx: AnalyzerContext, success: boolean): void {
    if (success) this.authDecided = true;
    // As Zeek: sizes say nothing once compression is on.
    const [c, sv] = this.sides;
    if (c.kex !== null && sv.kex !== null && COMPRESSION.includes(negotiate(c.kex.cmpS2C, sv.kex.cmpS2C))) return;
    this.authAttempts++;
    this.authSuccess = success;
    ctx.emit({ type: 'ssh.auth', success, attempts: this.authAttempts, packet: ctx.packet.packetNo });
  }

  private log(ctx: AnalyzerContext): void {
    this.logged = true;
    const [c, sv] = this.sides;
    const ev: SshSession = { type: 'ssh.session', ts_sec: this.tsSec, ts_nsec: this.tsNsec, auth_attempts: this.authAttempts, packet: this.packet };
    // Zeek takes the protocol major version from the client's identification.
    if (c.protoVersion.startsWith('1.')) ev.version = 1;
    else if (c.protoVersion.startsWith('2.')) ev.version = 2;
    if (this.authSuccess !== undefined) ev.auth_success = this.authSuccess;
    if (c.ident !== undefined) ev.client = c.ident;
    if (sv.ident !== undefined) ev.server = sv.ident;
    if (c.kex !== null && sv.kex !== null) {
      ev.cipher_alg = negotiateBoth(c.kex.encC2S, sv.kex.encC2S, c.kex.encS2C, sv.kex.encS2C);
      ev.mac_alg = negotiateBoth(c.kex.macC2S, sv.kex.macC2S, c.kex.macS2C, sv.kex.macS2C);
      ev.compression_alg = negotiateBoth(c.kex.cmpC2S, sv.kex.cmpC2S, c.kex.cmpS2C, sv.kex.cmpS2C);
      ev.kex_alg = negotiate(c.kex.kex, sv.kex.kex);
      ev.host_key_alg = negotiate(c.kex.hostKey, sv.kex.hostKey);
    }
    if (this.hostKey !== undefined) ev.host_key = this.hostKey;
    if (this.hassh !== undefined) ev.hassh = this.hassh;
    if (this.hasshServer !== undefined) ev.hasshServer = this.hasshServer;
    ctx.emit(ev);
  }
}
