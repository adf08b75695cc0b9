// Per-flow Checkmk state: the agent's (responder's) output read line by line; the header block
// of <<<check_mk>>> kept field by field, every later line only tested for being a section header.
// Lines longer than MAX_LINE are section contents (a process's command line): dropped unread. An
// answer of "16" hands the stream to the TLS analyzer; other digits are a legacy agent's
// encrypted output, not read. A client that speaks first is not talking to an agent. One
// checkmk.session event when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { LineCursor } from '../textproto.js';
import type { CheckmkSession } from './events.js';
import { CHECKMK_HEADER, TLS_ID, headerField, isDigit, sectionName } from './parse.js';

const MAX_LINE = 512;
const MAX_SECTIONS = 64;
const MAX_VALUE = 256;

/** <<<check_mk>>> lines → the event's fields. */
const FIELDS: ReadonlyMap<string, 'version' | 'agent_os' | 'hostname' | 'only_from'> = new Map([
  ['Version', 'version'],
  ['AgentOS', 'agent_os'],
  ['Hostname', 'hostname'],
  ['OnlyFrom', 'only_from'],
]);

const STATE_START = 0;
const STATE_PLAIN = 1;
const STATE_DONE = 2;

export class CheckmkAnalyzer implements FlowAnalyzer {
  private readonly s: CheckmkSession = { type: 'checkmk.session', tsSec: 0, tsNsec: 0, packet: 0, transport: 'plain', sections: [], section_count: 0, bytes: 0 };
  private readonly cursor = new LineCursor(MAX_LINE);
  private state = STATE_START;
  /** Inside the <<<check_mk>>> section. */
  private inHeader = false;
  private confirmed = false;
  private origSpoke = false;
  private ctx: AnalyzerContext | null = null;
  /** An answer's first byte, a digit, while its second is awaited. */
  private firstDigit = -1;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (isOrig) {
      if (len > 0 && this.state === STATE_START) this.origSpoke = true;
      return;
    }
    if (len === 0 || this.state === STATE_DONE) {
      if (this.confirmed && this.s.transport === 'encrypted') this.s.bytes += len;
      return;
    }
    if (this.state === STATE_START && !this.begin(ctx, buf, off, len)) return;
    this.s.bytes += len;
    if (this.state !== STATE_PLAIN) return;
    const cur = this.cursor;
    cur.load(buf, off, len);
    for (let line = cur.line(); line !== null; line = cur.line()) this.line(line);
    cur.save();
    cur.overflows = 0;
  }

  /** The agent's first bytes: its plain output, TLS, or encrypted output. False: not an agent. */
  private begin(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): boolean {
    if (this.origSpoke) {
      this.state = STATE_DONE;
      return false;
    }
    if (buf[off] === 0x3c && this.firstDigit < 0) {
      // Plain output; confirmed by its first line being <<<check_mk>>>.
      this.state = STATE_PLAIN;
      return true;
    }
    // The two digits may arrive one at a time.
    const first = this.firstDigit >= 0 ? this.firstDigit : buf[off];
    const second = this.firstDigit >= 0 ? buf[off] : len >= 2 ? buf[off + 1] : -1;
    if (!isDigit(first) || (second >= 0 && !isDigit(second))) {
      this.state = STATE_DONE;
      return false;
    }
    if (second < 0) {
      this.firstDigit = first;
      return false;
    }
    this.state = STATE_DONE;
    const tls = first === TLS_ID.charCodeAt(0) && second === TLS_ID.charCodeAt(1);
    this.s.transport = tls ? 'tls' : 'encrypted';
    if (!tls && this.firstDigit >= 0) this.s.bytes++;
    this.confirm(ctx);
    // The TLS analyzer takes the stream from the next chunk on (its bytes are in conn.log).
    if (tls) ctx.emit({ type: 'checkmk.starttls' });
    return !tls;
  }

  private line(line: string): void {
    const s = this.s;
    if (!this.confirmed) {
      // The output starts with <<<check_mk>>>; anything else is not an agent's.
      if (line !== CHECKMK_HEADER || this.ctx === null) {
        this.state = STATE_DONE;
        return;
      }
      this.confirm(this.ctx);
    }
    const name = line.startsWith('<<<') ? sectionName(line) : null;
    if (name === null) {
      if (!this.inHeader) return;
      const f = headerField(line);
      const k = f !== null ? FIELDS.get(f.key) : undefined;
      if (f === null || k === undefined || s[k] !== undefined) return;
      if (k === 'only_from') {
        s.only_from = f.value;
        s.open_to_all = f.value === '';
      } else if (f.value !== '') s[k] = f.value.length > MAX_VALUE ? f.value.slice(0, MAX_VALUE) : f.value;
      return;
    }
    this.inHeader = name === 'check_mk';
    s.section_count++;
    if (s.sections.length < MAX_SECTIONS && !s.sections.includes(name)) s.sections.push(name);
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    confirmSummary(ctx, this.s, 'checkmk');
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    void ctx;
    if (!isOrig) this.cursor.reset();
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
