// Per-flow Zabbix state: each direction cut into messages by the ZBXD header (PduFramer; at most
// MAX_KEEP bytes of one kept), compressed data inflated with a bound; an originator that starts
// without the header sends bare passive check keys, one a line. The originator's message is the
// request, the responder's the response: one zabbix.transaction event per pair, when the response
// arrives (or the next request, or the connection's end, for a request left unanswered, such as
// an agent's heartbeat). Of item values only the identity keys' are read.
import { inflateSync } from 'node:zlib';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { LineCursor } from '../textproto.js';
import type { ZabbixTransaction } from './events.js';
import { FLAG_COMPRESSED, FLAG_LARGE, IDENTITY_KEYS, LARGE_HEADER_LEN, magicPrefix, messageLength, parseItemKey, parsePassiveAnswer, printable, readHeader, validFlags } from './parse.js';

/** Bytes of one message kept (compressed or not); a longer one is marked truncated. */
const MAX_KEEP = 64 * 1024;
/** What one compressed message may inflate to. */
const MAX_INFLATED = 256 * 1024;
const MAX_KEYS = 32;
const MAX_KEY_LEN = 128;
/** Entries of a JSON data list looked at (a proxy's history can hold thousands). */
const MAX_SCAN = 4096;
const MAX_TRANSACTIONS = 256;
const MAX_LINE = 2048;
const MAX_VALUE = 256;

const MODE_UNKNOWN = 0;
const MODE_FRAMED = 1;
const MODE_LINES = 2;
const MODE_OFF = 3;

/** Requests an agent makes of the server about itself: the originator is the monitored host. */
const AGENT_REQUESTS = new Set(['active checks', 'agent data', 'active check heartbeat']);

function findStart(buf: Uint8Array, off: number, len: number): number {
  const end = off + len - 4;
  for (let i = off; i < end; i++) if (magicPrefix(buf, i, 4) === 4 && validFlags(buf[i + 4])) return i;
  return -1;
}

export class ZabbixAnalyzer implements FlowAnalyzer {
  private readonly framers: [PduFramer, PduFramer];
  private readonly modes = [MODE_UNKNOWN, MODE_UNKNOWN];
  private readonly lines = new LineCursor(MAX_LINE);
  private ctx: AnalyzerContext | null = null;
  private pending: ZabbixTransaction | null = null;
  private confirmed = false;
  private emitted = 0;

  constructor() {
    const opts = { maxHeader: LARGE_HEADER_LEN, maxKeep: MAX_KEEP, lengthOf: messageLength, findStart };
    this.framers = [new PduFramer(opts, { pdu: (b, o, n, t, d) => this.pdu(true, b, o, n, t, d) }), new PduFramer(opts, { pdu: (b, o, n, t, d) => this.pdu(false, b, o, n, t, d) })];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    const i = isOrig ? 0 : 1;
    if (this.modes[i] === MODE_UNKNOWN && len > 0) {
      // Only a server's request may come without the header (a bare key); answers always have it.
      this.modes[i] = buf[off] === 0x5a ? MODE_FRAMED : isOrig ? MODE_LINES : MODE_OFF;
      if (this.modes[i] === MODE_OFF) ctx.weird('zabbix.bad_header');
    }
    const mode = this.modes[i];
    if (mode === MODE_FRAMED) {
      const f = this.framers[i];
      if (!f.broken && !f.push(buf, off, len)) {
        ctx.weird('zabbix.bad_header');
        this.modes[i] = MODE_OFF;
      }
      return;
    }
    if (mode !== MODE_LINES) return;
    const cur = this.lines;
    cur.load(buf, off, len);
    for (let line = cur.line(); line !== null; line = cur.line()) {
      if (line === '') continue;
      const key = parseItemKey(line);
      if (key === null) {
        ctx.weird('zabbix.bad_key');
        continue;
      }
      const t = this.request();
      t.mode = 'passive';
      t.request = 'passive check';
      t.agent_side = 'resp';
      t.headerless = true;
      t.keys.push(key.length > MAX_KEY_LEN ? key.slice(0, MAX_KEY_LEN) : key);
    }
    cur.save();
    if (cur.overflows > 0) {
      cur.overflows = 0;
      ctx.weird('zabbix.line_too_long');
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    const i = isOrig ? 0 : 1;
    if (this.modes[i] === MODE_FRAMED) this.framers[i].gap(len);
    else if (this.modes[i] === MODE_LINES) this.lines.reset();
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.flush();
  }

  private pdu(isOrig: boolean, b: Uint8Array, o: number, n: number, total: number, damaged: boolean): void {
    if (damaged) return;
    const h = readHeader(b, o, n);
    if (h === null) return;
    const ctx = this.ctx!;
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('zabbix');
    }
    const start = o + h.headerLen;
    const whole = n === total;
    let text: string | null = null;
    let truncated = !whole;
    if ((h.flags & FLAG_COMPRESSED) !== 0) {
      if (whole) {
        try {
          text = inflateSync(b.subarray(start, start + h.dataLen), { maxOutputLength: MAX_INFLATED }).toString('utf8');
        } catch (e) {
          if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') truncated = true;
          else ctx.weird('zabbix.bad_compression');
        }
      }
    } else text = Buffer.from(b.buffer, b.byteOffset + start, n - h.headerLen).toString('utf8');
    const t = isOrig ? this.request() : (this.pending ?? this.fresh());
    if ((h.flags & FLAG_COMPRESSED) !== 0) t.compressed = true;
    if ((h.flags & FLAG_LARGE) !== 0) t.large = true;
    if (truncated) t.truncated = true;
    if (text !== null) {
      const json = /^\s*\{/.test(text);
      if (isOrig) {
        if (json) this.jsonRequest(t, text, truncated);
        else this.passiveRequest(t, text);
      } else if (json) this.jsonResponse(t, text, truncated);
      else if (t.mode === 'passive') this.passiveAnswer(t, text);
    }
    if (!isOrig) {
      this.pending = t;
      this.flush();
    }
  }

  /** A new transaction dated by the current packet. */
  private fresh(): ZabbixTransaction {
    const p = this.ctx!.packet;
    return { type: 'zabbix.transaction', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, keys: [], compressed: false };
  }

  /** A request starts a new transaction; one still waiting for its answer is reported first. */
  private request(): ZabbixTransaction {
    this.flush();
    const t = this.fresh();
    this.pending = t;
    return t;
  }

  private flush(): void {
    const t = this.pending;
    this.pending = null;
    if (t === null || !this.confirmed || this.emitted >= MAX_TRANSACTIONS) return;
    this.emitted++;
    this.ctx!.emit(t);
  }

  private passiveRequest(t: ZabbixTransaction, text: string): void {
    t.mode = 'passive';
    t.request = 'passive check';
    t.agent_side = 'resp';
    const key = parseItemKey(text);
    if (key === null) {
      this.ctx!.weird('zabbix.bad_key');
      return;
    }
    t.keys.push(key.length > MAX_KEY_LEN ? key.slice(0, MAX_KEY_LEN) : key);
  }

  private passiveAnswer(t: ZabbixTransaction, text: string): void {
    const a = parsePassiveAnswer(text);
    t.response = a.supported ? 'value' : 'not supported';
    if (!a.supported) {
      t.response_info = printable(a.value, MAX_KEY_LEN);
      return;
    }
    const field = t.keys.length === 1 ? IDENTITY_KEYS.get(t.keys[0]) : undefined;
    if (field !== undefined) t[field] = printable(a.value, MAX_VALUE);
  }

  private parse(text: string, truncated: boolean): Record<string, unknown> | null {
    try {
      const v: unknown = JSON.parse(text);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // A message cut at MAX_KEEP or MAX_INFLATED is not whole JSON; only a whole one is damaged.
    }
    if (!truncated) this.ctx!.weird('zabbix.bad_json');
    return null;
  }

  private jsonRequest(t: ZabbixTransaction, text: string, truncated: boolean): void {
    t.mode = 'active';
    const o = this.parse(text, truncated);
    if (o === null) return;
    t.request = printable(o.request, 64);
    const agent = t.request !== undefined && AGENT_REQUESTS.has(t.request);
    if (agent) t.agent_side = 'orig';
    t.host = printable(o.host, MAX_KEY_LEN);
    if (agent) t.agent_version = printable(o.version, 32);
    if (typeof o.variant === 'number' && Number.isInteger(o.variant)) t.agent_variant = o.variant;
    t.agent_ip = printable(o.ip, 64);
    if (typeof o.port === 'number' && Number.isInteger(o.port)) t.agent_port = o.port;
    if (typeof o.host_metadata === 'string' && o.host_metadata !== '') t.has_host_metadata = true;
    this.dataList(t, o.data, true);
  }

  private jsonResponse(t: ZabbixTransaction, text: string, truncated: boolean): void {
    const o = this.parse(text, truncated);
    if (o === null) return;
    t.mode ??= 'active';
    t.response = printable(o.response, 32);
    t.response_info = printable(o.info, MAX_KEY_LEN);
    this.dataList(t, o.data, false);
  }

  /** A data list's item keys (and identity keys' values, when the agent sent them with their keys). */
  private dataList(t: ZabbixTransaction, data: unknown, fromOrig: boolean): void {
    if (!Array.isArray(data)) return;
    t.items ??= data.length;
    const n = Math.min(data.length, MAX_SCAN);
    for (let i = 0; i < n; i++) {
      const e: unknown = data[i];
      if (e === null || typeof e !== 'object') continue;
      const r = e as Record<string, unknown>;
      if (fromOrig && t.host === undefined) t.host = printable(r.host, MAX_KEY_LEN);
      const key = typeof r.key === 'string' ? r.key.slice(0, MAX_KEY_LEN) : undefined;
      if (key === undefined || key === '') continue;
      if (t.keys.length < MAX_KEYS && !t.keys.includes(key)) t.keys.push(key);
      const field = fromOrig && t.agent_side === 'orig' ? IDENTITY_KEYS.get(key) : undefined;
      if (field !== undefined && t[field] === undefined) t[field] = printable(r.value, MAX_VALUE);
    }
  }
}
