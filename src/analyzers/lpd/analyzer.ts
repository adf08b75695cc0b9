// Per-flow LPD state. The client's stream is read as RFC 1179 lays it out: one daemon command
// line; for "receive a printer job", subcommand lines each followed by that many octets of a
// control or data file and a NUL. Control files are read (bounded) for who printed from where,
// data files only counted: their content is the document itself, which may be a patient's
// record and is never kept, and neither are the job's name, title and file names. The server's one-octet answers tell whether each part was accepted; for
// the status and remove commands its text answer's first line is kept. One lpd.request event
// per job (or per other command) when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { escapeBytes } from '../l2text.js';
import type { LpdRequest } from './events.js';
import { MAX_CONTROL, MAX_LINE, SUB_ABORT, SUB_CONTROL, parseControlFile, parseDaemonCommand, parseFileCommand } from './parse.js';

const enum State {
  Command,
  Subcommand,
  File,
  FileEnd,
  /** A status or remove command was read; anything more from the client is ignored. */
  Done,
  Broken,
}

/** Jobs reported per connection (one receive-job command may carry several). */
const MAX_JOBS = 16;
/** Reply text kept (the first line of a status answer). */
const MAX_REPLY_LINE = 256;

/** The job a control or data file name belongs to: the name after its "cf"/"df" and sequence letter. */
function jobKey(name: string): string {
  return name.length > 3 ? name.slice(3) : name;
}

export class LpdAnalyzer implements FlowAnalyzer {
  private state = State.Command;
  private readonly line = new Uint8Array(MAX_LINE);
  private lineLen = 0;
  private remain = 0;
  /** The file being read: control (its bytes kept) or data (counted). */
  private fileIsControl = false;
  private fileName = '';
  private readonly control = new Uint8Array(MAX_CONTROL);
  private controlLen = 0;
  private base: LpdRequest | null = null;
  private readonly jobs = new Map<string, LpdRequest>();
  private confirmed = false;
  private reply = '';
  private replyDone = false;
  private replyBytes = 0;
  private refusedCode = -1;
  private acks = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (isOrig) this.client(ctx, buf, off, off + len);
    else this.server(buf, off, off + len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    // Inside a data file a gap only loses document bytes; anywhere else the framing is lost.
    if (isOrig && this.state !== State.File) this.state = State.Broken;
    else if (isOrig) this.fileIsControl = false;
    if (!isOrig) this.replyDone = true;
    void ctx;
  }

  private client(ctx: AnalyzerContext, b: Uint8Array, p: number, end: number): void {
    while (p < end) {
      switch (this.state) {
        case State.Broken:
        case State.Done:
          return;
        case State.File: {
          const n = Math.min(this.remain, end - p);
          if (this.fileIsControl) {
            const keep = Math.min(n, MAX_CONTROL - this.controlLen);
            if (keep > 0) this.control.set(b.subarray(p, p + keep), this.controlLen);
            this.controlLen += keep;
          } else {
            const job = this.jobOf(ctx, this.fileName);
            job.data_bytes = (job.data_bytes ?? 0) + n;
          }
          this.remain -= n;
          p += n;
          if (this.remain === 0) this.state = State.FileEnd;
          break;
        }
        case State.FileEnd:
          // The NUL after a file (§6.2, §6.3).
          if (b[p] !== 0) ctx.weird('lpd.missing_file_terminator');
          p++;
          this.fileDone(ctx);
          this.state = State.Subcommand;
          break;
        default: {
          let q = p;
          while (q < end && b[q] !== 0x0a) q++;
          const n = q - p;
          if (this.lineLen + n > MAX_LINE) {
            ctx.weird('lpd.line_too_long');
            this.state = State.Broken;
            return;
          }
          this.line.set(b.subarray(p, q), this.lineLen);
          this.lineLen += n;
          if (q === end) return;
          p = q + 1;
          const lineLen = this.lineLen;
          this.lineLen = 0;
          if (this.state === State.Command) this.command(ctx, lineLen);
          else this.subcommand(ctx, lineLen);
        }
      }
    }
  }

  private command(ctx: AnalyzerContext, n: number): void {
    const c = parseDaemonCommand(this.line, 0, n);
    if (c === null) {
      ctx.weird('lpd.bad_command');
      this.state = State.Broken;
      return;
    }
    this.confirm(ctx);
    const p = ctx.packet;
    this.base = { type: 'lpd.request', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, command: c.command, queue: c.queue, operands: c.operands };
    this.state = c.code === 2 ? State.Subcommand : State.Done;
  }

  private subcommand(ctx: AnalyzerContext, n: number): void {
    if (n === 1 && this.line[0] === SUB_ABORT) {
      for (const j of this.jobs.values()) j.aborted = true;
      if (this.base !== null) this.base.aborted = true;
      return;
    }
    const f = parseFileCommand(this.line, 0, n);
    if (f === null) {
      ctx.weird('lpd.bad_subcommand');
      this.state = State.Broken;
      return;
    }
    this.fileIsControl = f.code === SUB_CONTROL;
    this.fileName = f.name;
    this.controlLen = 0;
    const job = this.jobOf(ctx, f.name);
    if (!this.fileIsControl) {
      job.data_files = (job.data_files ?? 0) + 1;
      if (f.count === 0) {
        // Some clients send a data file of "unknown" length: it runs to the end of the connection.
        this.remain = Number.MAX_SAFE_INTEGER;
        this.state = State.File;
        return;
      }
    } else job.control_file = f.name;
    this.remain = f.count;
    this.state = f.count > 0 ? State.File : State.FileEnd;
  }

  private fileDone(ctx: AnalyzerContext): void {
    if (!this.fileIsControl) return;
    const job = this.jobOf(ctx, this.fileName);
    const cf = parseControlFile(this.control, 0, this.controlLen);
    job.host = cf.host;
    job.user = cf.user;
    job.class = cf.class;
    job.banner_user = cf.banner_user;
    job.mail_to = cf.mail_to;
    if (cf.named) job.named = true;
    job.formats = cf.formats;
    if (this.controlLen >= MAX_CONTROL) ctx.weird('lpd.control_file_truncated');
    this.fileIsControl = false;
  }

  /** The job of a control or data file, made on first mention (bounded; past the cap, the last one). */
  private jobOf(ctx: AnalyzerContext, name: string): LpdRequest {
    const key = jobKey(name);
    let j = this.jobs.get(key);
    if (j !== undefined) return j;
    const base = this.base!;
    if (this.jobs.size >= MAX_JOBS) {
      ctx.weird('lpd.too_many_jobs');
      j = [...this.jobs.values()].pop()!;
      return j;
    }
    const p = ctx.packet;
    j = { ...base, tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, data_files: 0, data_bytes: 0 };
    this.jobs.set(key, j);
    return j;
  }

  private server(b: Uint8Array, p: number, end: number): void {
    if (this.base === null) return;
    this.replyBytes += end - p;
    if (this.base.command === 'receive_job') {
      // One octet per command and subcommand: 0 is yes (§6).
      for (let i = p; i < end; i++) {
        this.acks++;
        if (b[i] !== 0 && this.refusedCode < 0) this.refusedCode = b[i];
      }
      return;
    }
    if (this.replyDone) return;
    let q = p;
    while (q < end && b[q] !== 0x0a) q++;
    const room = MAX_REPLY_LINE - this.reply.length;
    if (room > 0) this.reply += escapeBytes(b, p, Math.min(q, p + room)).replace(/\r$/, '');
    if (q < end || this.reply.length >= MAX_REPLY_LINE) this.replyDone = true;
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('lpd');
  }

  end(ctx: AnalyzerContext): void {
    const base = this.base;
    if (base === null) return;
    const out = base.command === 'receive_job' && this.jobs.size > 0 ? [...this.jobs.values()] : [base];
    for (const r of out) {
      if (base.command === 'receive_job') {
        if (this.acks > 0) r.accepted = this.refusedCode < 0;
        if (this.refusedCode >= 0) r.refused_code = this.refusedCode;
      } else {
        if (this.reply !== '') r.reply = this.reply;
        r.reply_bytes = this.replyBytes;
      }
      ctx.emit(r);
    }
    this.base = null;
    this.jobs.clear();
  }
}
