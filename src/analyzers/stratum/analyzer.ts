// Per-connection Stratum state: lines split per direction (a partial line carried, bounded),
// each parsed as JSON-RPC; requests remembered by id (bounded) so the pool's answers count as
// an accepted login or an accepted/rejected share. One stratum.mining event as soon as the
// connection shows mining (the miner's login, its subscribe, or mid-way its first share or the
// pool's first job), one stratum.session when it ends. The login's password is never kept.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { LineCursor } from '../textproto.js';
import type { StratumMining, StratumSession } from './events.js';
import { MAX_LINE, isJob, isLogin, isShare, parseStratumLine, type Dialect, type StratumMessage } from './parse.js';
import { evictOldest } from '../../util/evict.js';

/** Requests awaiting their answers (ids are small integers; a miner sends a share at a time). */
const MAX_PENDING = 64;
/** Distinct method names kept for the log. */
const MAX_METHODS = 16;
/** Lines in a row that fail to parse (each a weird) before the connection is given up. */
const MAX_BAD = 4;

export class StratumAnalyzer implements FlowAnalyzer {
  private readonly cursors = [new LineCursor(MAX_LINE), new LineCursor(MAX_LINE)];
  private readonly pending = new Map<number | string, string>();
  private confirmed = false;
  private announced = false;
  private bad = 0;
  private broken = false;
  private readonly s: StratumSession = {
    type: 'stratum.session',
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    dialect: 'stratum',
    agent: '',
    user: '',
    password: false,
    pool_host: '',
    algos: [],
    methods: [],
    authorized: null,
    jobs: 0,
    shares: 0,
    accepted: 0,
    rejected: 0,
    midstream: false,
  };

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const cur = this.cursors[isOrig ? 0 : 1];
    cur.load(buf, off, len);
    for (let line = cur.lineBytes(); line !== null && !this.broken; line = cur.lineBytes()) {
      if (line.length > 0) this.line(ctx, isOrig, Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8'));
    }
    cur.save();
    if (cur.overflows > 0 && !this.broken) {
      ctx.weird('stratum.line_too_long');
      this.broken = true;
    }
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // A line cut by lost bytes cannot be read; the next newline starts afresh.
    this.cursors[isOrig ? 0 : 1] = new LineCursor(MAX_LINE);
    this.pending.clear();
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    this.confirmed = false;
    ctx.emit(this.s);
  }

  private line(ctx: AnalyzerContext, isOrig: boolean, text: string): void {
    const msg = parseStratumLine(text, isOrig);
    if (msg === null) {
      if (!this.confirmed) {
        ctx.release();
        this.broken = true;
        return;
      }
      ctx.weird('stratum.bad_line');
      if (++this.bad >= MAX_BAD) this.broken = true;
      return;
    }
    this.bad = 0;
    if (msg.method !== '') this.request(ctx, isOrig, msg);
    else if (this.confirmed) this.response(isOrig, msg);
  }

  private request(ctx: AnalyzerContext, isOrig: boolean, msg: StratumMessage): void {
    if (msg.dialect === null) {
      if (!this.confirmed) {
        ctx.release();
        this.broken = true;
      }
      return;
    }
    if (!this.confirmed) this.confirm(ctx, msg.dialect, msg.method);
    const s = this.s;
    if (s.methods.length < MAX_METHODS && !s.methods.includes(msg.method)) s.methods.push(msg.method);
    if (msg.agent !== '' && s.agent === '') {
      s.agent = msg.agent;
      if (isOrig) ctx.emit({ type: 'software', host: origHost(ctx.conn), software_type: 'STRATUM::MINER', unparsed_version: msg.agent });
    }
    if (msg.poolHost !== '' && s.pool_host === '') s.pool_host = msg.poolHost;
    if (msg.user !== '' && s.user === '') s.user = msg.user;
    if (msg.password) s.password = true;
    if (msg.algos.length > 0 && s.algos.length === 0) s.algos = msg.algos;
    if (isOrig) {
      if (isShare(msg.method)) s.shares++;
      if (msg.id !== null && (isLogin(msg.method) || isShare(msg.method))) {
        if (this.pending.size >= MAX_PENDING) evictOldest(this.pending);
        this.pending.set(msg.id, msg.method);
      }
    } else if (isJob(msg.method)) s.jobs++;
    this.announce(ctx, msg);
  }

  private response(isOrig: boolean, msg: StratumMessage): void {
    if (isOrig || msg.id === null) {
      // The pool's unsolicited eth_getWork answers (id 0) are work, not answers to a request.
      if (!isOrig && msg.id === null && msg.hasJob) this.s.jobs++;
      return;
    }
    const method = this.pending.get(msg.id);
    if (msg.hasJob) this.s.jobs++;
    if (method === undefined) {
      if (this.s.dialect === 'ethereum' && msg.id === 0 && msg.ok === true) this.s.jobs++;
      return;
    }
    this.pending.delete(msg.id);
    if (isLogin(method)) this.s.authorized = msg.ok === true;
    else if (isShare(method)) {
      if (msg.ok === true) this.s.accepted++;
      else this.s.rejected++;
    }
  }

  private confirm(ctx: AnalyzerContext, dialect: Dialect, method: string): void {
    this.confirmed = true;
    const p = ctx.packet;
    const s = this.s;
    s.dialect = dialect;
    s.packet = p.packetNo;
    s.tsSec = p.tsSec;
    s.tsNsec = p.tsNsec;
    // A connection whose first line is not the miner's greeting was joined after it.
    s.midstream = !(method === 'mining.subscribe' || method === 'mining.configure' || method === 'mining.hello' || isLogin(method));
    ctx.confirm('stratum');
  }

  /** stratum.mining once: at the login, or (joined mid-way, or before the login) at the first share or job. */
  private announce(ctx: AnalyzerContext, msg: StratumMessage): void {
    if (this.announced) return;
    const s = this.s;
    if (!(isLogin(msg.method) || isShare(msg.method) || isJob(msg.method) || s.midstream)) return;
    this.announced = true;
    const c = ctx.conn;
    const p = ctx.packet;
    const ev: StratumMining = {
      type: 'stratum.mining',
      packet: p.packetNo,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      miner: origHost(c),
      pool: respHost(c),
      pool_p: c.rPort,
      dialect: s.dialect,
      method: msg.method,
      agent: s.agent,
      user: s.user,
      pool_host: s.pool_host,
    };
    ctx.emit(ev);
  }
}
