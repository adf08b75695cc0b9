// Per-flow syslog state. UDP: one message per datagram (RFC 5426 §3.1). TCP (RFC 6587 §3.4):
// each message is either octet-counted ("LEN SP MSG") or ends with LF (non-transparent
// framing); senders may mix both, so the choice is made per message. The partial message is
// buffered per direction up to MAX_FRAME bytes; a longer line is cut there and resynchronised.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { SyslogMessageEvent } from './events.js';
import { parseSyslog, readPri } from './parse.js';

/** Largest frame buffered (RFC 6587 recommends supporting at least 2 KiB; 64 KiB is generous). */
export const MAX_FRAME = 65536;
const MAX_LEN_DIGITS = 6;
const LF = 0x0a;
const SP = 0x20;

export class SyslogAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  private readonly pending: [Uint8Array | null, Uint8Array | null] = [null, null];

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto !== 6) {
      this.message(ctx, buf, off, len, 'udp');
      return;
    }
    const side = isOrig ? 0 : 1;
    let b = buf;
    let o = off;
    let l = len;
    const carry = this.pending[side];
    if (carry !== null) {
      b = new Uint8Array(carry.length + len);
      b.set(carry, 0);
      b.set(buf.subarray(off, off + len), carry.length);
      o = 0;
      l = b.length;
    }
    while (l > 0) {
      const n = frame(b, o, l);
      if (n === null) break;
      if (n[1] > 0) this.message(ctx, b, o + n[0], n[1], 'tcp');
      o += n[2];
      l -= n[2];
    }
    if (l >= MAX_FRAME) {
      // No frame end within the limit: log what there is and start over.
      ctx.weird('syslog.frame_too_long');
      this.message(ctx, b, o, l, 'tcp');
      l = 0;
    }
    this.pending[side] = l > 0 ? b.slice(o, o + l) : null;
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // The partial frame is lost with the gap; the next LF or PRI starts a new one.
    this.pending[isOrig ? 0 : 1] = null;
  }

  end(ctx: AnalyzerContext): void {
    // A last message without its LF (the sender closed the connection).
    for (const side of [0, 1]) {
      const p = this.pending[side];
      if (p !== null && readPri(p, 0, p.length) !== null) this.message(ctx, p, 0, p.length, 'tcp');
      this.pending[side] = null;
    }
  }

  private message(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number, proto: 'udp' | 'tcp'): void {
    const m = parseSyslog(buf, off, len);
    if (m.facility > 23 && !this.confirmed) {
      ctx.weird('syslog.no_pri');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm(proto === 'tcp' ? 'syslog_tcp' : 'syslog');
    }
    const ev: SyslogMessageEvent = { type: 'syslog.message', proto, facility: m.facility, severity: m.severity, message: m.message, truncated: m.truncated, format: m.format, packet: ctx.packet.packetNo };
    if (m.hostname !== undefined) ev.hostname = m.hostname;
    if (m.app_name !== undefined) ev.app_name = m.app_name;
    if (m.proc_id !== undefined) ev.proc_id = m.proc_id;
    if (m.msg_id !== undefined) ev.msg_id = m.msg_id;
    ctx.emit(ev);
  }
}

/**
 * Finds one frame at `off`: [message offset, message length, bytes consumed], or null when
 * more bytes are needed.
 */
export function frame(buf: Uint8Array, off: number, len: number): [number, number, number] | null {
  if (len <= 0) return null;
  // Octet counting: MSG-LEN (no leading zero) SP then exactly MSG-LEN bytes.
  const d = buf[off];
  if (d >= 0x31 && d <= 0x39) {
    let v = 0;
    let i = 0;
    while (i < len && i <= MAX_LEN_DIGITS && buf[off + i] >= 0x30 && buf[off + i] <= 0x39) v = v * 10 + buf[off + i++] - 0x30;
    if (i >= len) return null;
    if (buf[off + i] === SP && i <= MAX_LEN_DIGITS && v <= MAX_FRAME && readPri(buf, off + i + 1, len - i - 1) !== null) {
      const total = i + 1 + v;
      return total <= len ? [i + 1, v, total] : null;
    }
  }
  for (let i = 0; i < len; i++) if (buf[off + i] === LF) return [0, i, i + 1];
  return null;
}
