// Per-flow SMTP state (RFC 5321): client commands queue until their replies (pipelining, RFC
// 2920); a 354 reply turns the client stream into message content, whose top-level header
// fields are read and whose body is walked line by line up to the lone "." (§4.5.2); BDAT
// chunks (RFC 3030, CHUNKING: what Exchange and Postfix send each other) are counted out and
// their concatenation read as the same message, without dot-stuffing or the lone ".", lines
// carried across chunk boundaries in a cursor of their own. The message's MIME entities are files (files.log, as
// Zeek's MIME analyzer gives them to its file analysis; files/mime.ts): the text, its HTML
// alternative, each attachment, decoded. AUTH exchanges (RFC 4954) are decoded through
// SaslExchange; STARTTLS accepted (RFC 3207) ends parsing. One transaction record per message,
// following Zeek's base/protocols/smtp/main.zeek.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { SaslExchange } from '../sasl.js';
import { bannerProduct, latin1, LineCursor, origHost, respHost, wireText } from '../textproto.js';
import type { SmtpTransaction } from './events.js';
import { MimeFiles } from '../files/mime.js';
import { extractEmails, firstAddress, MAX_LINE, parseCommand, parseReply, receivedAddress, splitAddressList } from './parse.js';

const C_CMD = 0;
const C_AUTH = 1;
const C_HEADERS = 2;
const C_BODY = 3;
const C_BDAT = 4;

const MAX_PENDING = 100;
/** Longest header value kept in a log field. */
const MAX_VALUE = 4096;
/** Header fields looked at per message. */
const MAX_FIELDS = 500;
/** Addresses kept per list (Zeek's max_rcptto_addresses is 1000). */
const MAX_ADDRS = 1000;
/** Relay path entries kept (Zeek's max_path_length). */
const MAX_PATH = 100;
/** Client lines that are not commands before the flow is left alone. */
const MAX_BAD_LINES = 16;

const NO_BYTES = new Uint8Array(0);
const REPLY_READY = 220;
const DOT = 0x2e;
const REPLY_AUTH_OK = 235;
const REPLY_AUTH_CONTINUE = 334;
const REPLY_START_MAIL = 354;

class Tx {
  tsSec = 0;
  tsNsec = 0;
  depth = 1;
  helo?: string;
  mailfrom?: string;
  rcptto?: string[];
  date?: string;
  from?: string;
  to?: string[];
  cc?: string[];
  replyTo?: string;
  msgId?: string;
  inReplyTo?: string;
  subject?: string;
  xOrigIp?: string;
  firstReceived?: string;
  secondReceived?: string;
  lastReply?: string;
  path: string[] = [];
  userAgent?: string;
  tls = false;
  activity = false;
  fuids?: string[];
}

export class SmtpAnalyzer implements FlowAnalyzer {
  private readonly cur = [new LineCursor(MAX_LINE), new LineCursor(MAX_LINE)];
  private client = C_CMD;
  private readonly pending: string[] = [];
  private tx: Tx | null = null;
  private helo?: string;
  private messages = 0;
  private done = false;
  private confirmed = false;
  private bannerSeen = false;
  private badLines = 0;
  private bdatLeft = 0;
  /** The chunk being counted out is the message's last (BDAT … LAST). */
  private bdatLast = false;
  /** A BDAT message is open: its header or body part (C_HEADERS, C_BODY), else C_CMD. */
  private bdatPart = C_CMD;
  /** Lines of the BDAT message across its chunks (made on the first BDAT of the connection). */
  private bdatCur: LineCursor | null = null;
  private authTried = false;
  private logged = 0;
  private sasl: SaslExchange | null = null;
  private authUser?: string;
  private passwordSent = false;
  private fields = 0;
  /** The header field being unfolded. */
  private hName = '';
  private hValue = '';
  /** The files of the message being sent (DATA), and the files counted on the connection. */
  private mime: MimeFiles | null = null;
  private fileCount = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.done) return;
    if (this.tx === null) this.tx = this.newTx(ctx);
    const cur = this.cur[isOrig ? 0 : 1];
    cur.load(buf, off, len);
    if (isOrig) this.clientBytes(ctx, cur);
    else {
      let line: string | null;
      while (!this.done && (line = cur.line()) !== null) this.reply(ctx, line);
    }
    if (cur.overflows > 0) {
      // Long lines are normal in message bodies; elsewhere they are worth a weird.
      if (this.client !== C_BODY || !isOrig) ctx.weird('smtp.line_too_long');
      // A dropped body line is a hole in the file it belonged to.
      else this.mime?.gap();
      cur.overflows = 0;
    }
    cur.save();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    // After STARTTLS (or giving up) the bytes are not ours: a gap there means nothing.
    if (this.done) return;
    ctx.weird('smtp.content_gap');
    const cur = this.cur[isOrig ? 0 : 1];
    if (isOrig && this.client === C_BDAT) {
      // The message's line in progress and its file lost bytes. When the chunk ended inside the
      // gap, what follows is a command line again, after the next LF.
      this.bdatCur?.reset();
      this.mime?.gap();
      if (len > this.bdatLeft) cur.reset();
      this.bdatLeft = Math.max(0, this.bdatLeft - len);
      if (this.bdatLeft === 0) this.chunkDone(ctx);
      return;
    }
    cur.reset();
    if (isOrig && (this.client === C_HEADERS || this.client === C_BODY)) this.mime?.gap();
    // Inside a message the gap may have swallowed the end: keep looking for ".".
    if (isOrig && this.client === C_HEADERS) this.client = C_BODY;
  }

  end(ctx: AnalyzerContext): void {
    if (this.sasl !== null) this.finishAuth(ctx, undefined);
    // A message the connection's end cut short: its last file did not end.
    if (this.mime !== null) this.endMime(ctx, true);
    // Wardline also logs a session that only authenticated (Zeek logs none without mail).
    if (this.tx !== null && (this.tx.activity || (this.authTried && this.logged === 0))) this.emitTx(ctx, this.tx);
    this.tx = null;
  }

  private newTx(ctx: AnalyzerContext): Tx {
    const t = new Tx();
    const m = ctx.packet;
    t.tsSec = m.tsSec;
    t.tsNsec = m.tsNsec;
    t.depth = this.messages + 1;
    t.helo = this.helo;
    // The path always ends with the two hosts of this connection (newest hop first).
    t.path = [respHost(ctx.conn), origHost(ctx.conn)];
    return t;
  }

  private clientBytes(ctx: AnalyzerContext, cur: LineCursor): void {
    while (!this.done) {
      if (this.client === C_BDAT) {
        const k = Math.min(this.bdatLeft, cur.avail());
        if (k > 0 && this.bdatPart !== C_CMD) this.bdatBytes(ctx, cur.b, cur.pos, k);
        this.bdatLeft -= cur.skip(k);
        if (this.bdatLeft > 0) return;
        this.chunkDone(ctx);
        continue;
      }
      if (this.client === C_BODY) {
        // Body lines are only looked at for the lone "." that ends the message (§4.5.2).
        const lb = cur.lineBytes();
        if (lb === null) return;
        if (lb.length === 1 && lb[0] === DOT) {
          this.endMime(ctx, false);
          this.messageEnd();
        } else if (this.mime !== null) this.mime.line(ctx, lb[0] === DOT ? lb.subarray(1) : lb);
        continue;
      }
      const line = cur.line();
      if (line === null) return;
      switch (this.client) {
        case C_CMD:
          this.command(ctx, line);
          break;
        case C_AUTH:
          this.sasl?.response(line);
          break;
        case C_HEADERS:
          this.headerLine(ctx, line);
          break;
      }
    }
  }

  private command(ctx: AnalyzerContext, line: string): void {
    if (line === '') return;
    const c = parseCommand(line);
    if (c === null) {
      ctx.weird('smtp.bad_command');
      if (++this.badLines >= MAX_BAD_LINES) this.done = true;
      return;
    }
    const tx = this.tx!;
    switch (c.cmd) {
      case 'HELO':
      case 'EHLO':
        this.helo = wireText(c.arg).slice(0, MAX_VALUE);
        tx.helo = this.helo;
        break;
      case 'RSET':
        // RFC 3030 §4.1: RSET abandons a message whose BDAT chunks have not ended with LAST.
        if (this.bdatPart !== C_CMD) {
          this.endMime(ctx, true);
          this.bdatPart = C_CMD;
          this.bdatLast = false;
        }
        break;
      case 'MAIL':
        if (/^from:/i.test(c.arg)) {
          // A new transaction: flush the last one if its reply was never seen.
          if (tx.activity) this.flush(ctx);
          const t = this.tx!;
          const from = extractEmails(c.arg, 1)[0];
          if (from !== undefined) t.mailfrom = from;
          t.activity = true;
        }
        break;
      case 'RCPT':
        if (/^to:/i.test(c.arg)) {
          tx.rcptto ??= [];
          for (const a of extractEmails(c.arg.replace(/ORCPT=rfc822;?/gi, ''))) if (!tx.rcptto.includes(a) && tx.rcptto.length < MAX_ADDRS) tx.rcptto.push(a);
          tx.activity = true;
        }
        break;
      case 'AUTH': {
        const sp = c.arg.indexOf(' ');
        const mech = sp < 0 ? c.arg : c.arg.slice(0, sp);
        this.sasl = new SaslExchange(mech, sp < 0 ? undefined : c.arg.slice(sp + 1));
        this.client = C_AUTH;
        this.authTried = true;
        break;
      }
      case 'BDAT': {
        const m = /^(\d{1,12})(?:\s+LAST)?\s*$/i.exec(c.arg);
        if (m === null) {
          ctx.weird('smtp.bad_bdat');
          return;
        }
        this.bdatLeft = Number(m[1]);
        this.bdatLast = /LAST\s*$/i.test(c.arg);
        this.client = C_BDAT;
        // The first chunk opens the message: its header fields, then its MIME entities.
        if (this.bdatPart === C_CMD) {
          this.fields = 0;
          this.hName = '';
          this.mime = new MimeFiles('SMTP', true, () => this.fileCount++);
          this.mime.begin();
          this.bdatPart = C_HEADERS;
          this.bdatCur ??= new LineCursor(MAX_LINE);
          this.bdatCur.reset();
        }
        // Every chunk is answered; the last one's reply ends the transaction as "." does.
        this.pushPending(ctx, this.bdatLast ? '.' : 'BDAT');
        if (this.bdatLeft === 0) this.chunkDone(ctx);
        return;
      }
    }
    this.pushPending(ctx, c.cmd);
  }

  private pushPending(ctx: AnalyzerContext, cmd: string): void {
    if (this.pending.length >= MAX_PENDING) {
      ctx.weird('smtp.too_many_pending_commands');
      this.pending.shift();
    }
    this.pending.push(cmd);
  }

  private reply(ctx: AnalyzerContext, line: string): void {
    const r = parseReply(line);
    if (r === null) {
      if (line !== '') ctx.weird('smtp.bad_reply');
      return;
    }
    const tx = this.tx!;
    tx.lastReply = `${r.code} ${wireText(r.text)}`.slice(0, MAX_VALUE);
    if (!this.bannerSeen && r.code === REPLY_READY && this.pending.length === 0) {
      this.bannerSeen = true;
      const product = bannerProduct(wireText(r.text));
      if (product !== null) ctx.emit({ type: 'software', host: respHost(ctx.conn), host_p: ctx.conn.rPort, software_type: 'SMTP::MAIL_SERVER', unparsed_version: product });
    }
    if (r.sep === '-') return;
    if (r.code === REPLY_AUTH_CONTINUE && this.sasl !== null) {
      this.sasl.challenge(r.text);
      return;
    }
    const cmd = this.pending.shift();
    if (cmd === undefined) return;
    if (!this.confirmed && r.code < 400 && (cmd === 'EHLO' || cmd === 'HELO' || cmd === 'MAIL')) {
      this.confirmed = true;
      ctx.confirm('smtp');
    }
    switch (cmd) {
      case 'AUTH':
        this.finishAuth(ctx, r.code);
        break;
      case 'DATA':
        if (r.code === REPLY_START_MAIL) {
          this.client = C_HEADERS;
          this.fields = 0;
          this.hName = '';
          this.mime = new MimeFiles('SMTP', true, () => this.fileCount++);
          this.mime.begin();
        }
        break;
      case '.':
        this.messages++;
        this.flush(ctx);
        break;
      case 'STARTTLS':
        if (r.code === REPLY_READY) {
          tx.tls = true;
          tx.activity = true;
          ctx.emit({ type: 'smtp.starttls' });
          this.done = true;
        }
        break;
    }
  }

  private finishAuth(ctx: AnalyzerContext, code: number | undefined): void {
    const s = this.sasl!;
    this.sasl = null;
    if (this.client === C_AUTH) this.client = C_CMD;
    for (const b of s.blobs) ctx.emit({ type: 'smtp.auth_blob', scheme: 'ntlm', blob: b.blob, isOrig: b.isOrig });
    if (s.cancelled) return;
    const success = code === REPLY_AUTH_OK;
    if (s.user !== '') this.authUser = s.user;
    if (code !== undefined) ctx.emit({ type: 'smtp.auth', mechanism: s.mech, user: s.user, success });
    if (s.cleartext && s.secret !== null) {
      this.passwordSent = true;
      const ev: Record<string, unknown> = { type: 'credential', protocol: 'smtp', user: s.user, secret: s.secret };
      if (code !== undefined) ev.success = success;
      ctx.emit(ev as { type: string });
    }
  }

  /** Bytes of a BDAT chunk: the message's lines; `final` (after the LAST chunk) also the one without its LF. */
  private bdatBytes(ctx: AnalyzerContext, b: Uint8Array, off: number, len: number, final = false): void {
    const mc = this.bdatCur!;
    mc.load(b, off, len);
    for (;;) {
      let lb = mc.lineBytes();
      const last = lb === null && final;
      if (last) lb = mc.tail();
      if (lb === null) break;
      if (this.bdatPart === C_HEADERS) this.headerLine(ctx, latin1(lb, 0, lb.length), false);
      else this.mime?.line(ctx, lb, last);
    }
    if (mc.overflows > 0) {
      if (this.bdatPart === C_BODY) this.mime?.gap();
      mc.overflows = 0;
    }
    mc.save();
  }

  /** A chunk counted out; after the last, the message's files end (its reply logs it, as "." does). */
  private chunkDone(ctx: AnalyzerContext): void {
    this.client = C_CMD;
    if (!this.bdatLast || this.bdatPart === C_CMD) return;
    // The message's last line, carried from this or an earlier chunk, even without its CR LF.
    this.bdatBytes(ctx, NO_BYTES, 0, 0, true);
    this.endField(ctx);
    this.endMime(ctx, false);
    this.bdatPart = C_CMD;
    this.bdatLast = false;
  }

  /** A header line of the message (DATA: a lone "." ends the message; BDAT: no such line). */
  private headerLine(ctx: AnalyzerContext, line: string, dotEnds = true): void {
    if (dotEnds && line === '.') {
      this.endField(ctx);
      this.endMime(ctx, false);
      this.messageEnd();
      return;
    }
    if (line === '') {
      this.endField(ctx);
      this.mime?.topHeadersEnd();
      if (dotEnds) this.client = C_BODY;
      else this.bdatPart = C_BODY;
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      // A folded continuation (RFC 5322 §2.2.3).
      if (this.hName !== '' && this.hValue.length < MAX_VALUE) this.hValue += ' ' + line.trim();
      return;
    }
    this.endField(ctx);
    const colon = line.indexOf(':');
    if (colon <= 0 || ++this.fields > MAX_FIELDS) return;
    // Dot-stuffing (§4.5.2) does not apply to field lines that matter here.
    this.hName = line.slice(0, colon).trim().toUpperCase();
    this.hValue = line.slice(colon + 1).trim();
  }

  private endField(ctx: AnalyzerContext): void {
    if (this.hName === '') return;
    const name = this.hName;
    if (name.startsWith('CONTENT-')) this.mime?.topField(name, this.hValue);
    const v = wireText(this.hValue).slice(0, MAX_VALUE);
    this.hName = '';
    this.hValue = '';
    const tx = this.tx!;
    switch (name) {
      case 'MESSAGE-ID':
        tx.msgId = v;
        break;
      case 'RECEIVED': {
        if (tx.firstReceived !== undefined) tx.secondReceived = tx.firstReceived;
        tx.firstReceived = v;
        const ip = receivedAddress(v);
        if (ip !== null && tx.path[tx.path.length - 1] !== ip && tx.path.length < MAX_PATH) tx.path.push(ip);
        break;
      }
      case 'IN-REPLY-TO':
        tx.inReplyTo = v;
        break;
      case 'SUBJECT':
        tx.subject = v;
        break;
      case 'FROM':
        tx.from = v;
        break;
      case 'REPLY-TO':
        tx.replyTo = v;
        break;
      case 'DATE':
        tx.date = v;
        break;
      case 'TO':
        tx.to = merge(tx.to, splitAddressList(v));
        break;
      case 'CC':
        tx.cc = merge(tx.cc, splitAddressList(v));
        break;
      case 'X-ORIGINATING-IP': {
        const ip = firstAddress(v);
        if (ip !== null) tx.xOrigIp = ip;
        break;
      }
      case 'X-MAILER':
      case 'USER-AGENT':
      case 'X-USER-AGENT':
        tx.userAgent = v;
        if (v !== '') ctx.emit({ type: 'software', host: origHost(ctx.conn), software_type: 'SMTP::MAIL_CLIENT', unparsed_version: v });
        break;
    }
  }

  /** The message's files end with it; the transaction lists their fuids (smtp.log). */
  private endMime(ctx: AnalyzerContext, cutShort: boolean): void {
    const m = this.mime;
    if (m === null) return;
    this.mime = null;
    m.end(ctx, cutShort);
    if (m.fuids.length > 0 && this.tx !== null) this.tx.fuids = m.fuids;
  }

  private messageEnd(): void {
    this.client = C_CMD;
    this.pending.push('.');
  }

  /** Logs the current transaction and starts the next (Zeek's smtp_message + new_smtp_log). */
  private flush(ctx: AnalyzerContext): void {
    const tx = this.tx!;
    if (tx.activity) this.emitTx(ctx, tx);
    this.tx = this.newTx(ctx);
  }

  private emitTx(ctx: AnalyzerContext, t: Tx): void {
    const ev: SmtpTransaction = {
      type: 'smtp.transaction',
      tsSec: t.tsSec,
      tsNsec: t.tsNsec,
      trans_depth: t.depth,
      path: t.path,
      tls: t.tls,
      password_sent: this.passwordSent,
    };
    if (t.helo !== undefined) ev.helo = t.helo;
    if (t.mailfrom !== undefined) ev.mailfrom = t.mailfrom;
    if (t.rcptto !== undefined) ev.rcptto = t.rcptto;
    if (t.date !== undefined) ev.date = t.date;
    if (t.from !== undefined) ev.from = t.from;
    if (t.to !== undefined) ev.to = t.to;
    if (t.cc !== undefined) ev.cc = t.cc;
    if (t.replyTo !== undefined) ev.reply_to = t.replyTo;
    if (t.msgId !== undefined) ev.msg_id = t.msgId;
    if (t.inReplyTo !== undefined) ev.in_reply_to = t.inReplyTo;
    if (t.subject !== undefined) ev.subject = t.subject;
    if (t.xOrigIp !== undefined) ev.x_originating_ip = t.xOrigIp;
    if (t.firstReceived !== undefined) ev.first_received = t.firstReceived;
    if (t.secondReceived !== undefined) ev.second_received = t.secondReceived;
    if (t.lastReply !== undefined) ev.last_reply = t.lastReply;
    if (t.userAgent !== undefined) ev.user_agent = t.userAgent;
    if (t.fuids !== undefined) ev.fuids = t.fuids;
    if (this.authUser !== undefined) ev.user = this.authUser;
    this.logged++;
    ctx.emit(ev);
  }
}

function merge(into: string[] | undefined, add: string[]): string[] {
  const out = into ?? [];
  for (const a of add) if (!out.includes(a) && out.length < MAX_ADDRS) out.push(a);
  return out;
}
