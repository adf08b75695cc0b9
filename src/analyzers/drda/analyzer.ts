// Per-connection DRDA state: DSS frames cut out of each direction by the shared framer (a partial
// frame waits, bounded to one DSS; a gap drops it); the connection's opening read for who the client and server are (EXCSAT/EXCSATRD:
// external name, host, release level, class), how the login is protected (ACCSEC SECMEC), who
// logs in (SECCHK USRID; a clear password — SECMEC USRIDPWD — becomes the shared credential
// fact, a keyed digest, and is never kept), whether the server accepted it (SECCHKRM SECCHKCD)
// and the database and products (ACCRDB/ACCRDBRM). Every other command is only named and
// counted; SQL text is never kept (its literals may be patient data). One drda.session at the end.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduFlowAnalyzer } from '../framing.js';
import { origHost, respHost } from '../connid.js';
import { REDACTED, secretDigest } from '../secret.js';
import type { DrdaSession } from './events.js';
import * as p from './parse.js';

/** Command names kept for the log. */
const MAX_COMMANDS = 32;

export class DrdaAnalyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  /** The credential of a SECCHK, emitted when the server's SECCHKRM says whether it was accepted. */
  private cred: Record<string, unknown> | null = null;
  private readonly s: DrdaSession = {
    type: 'drda.session',
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    client_name: '',
    client_host: '',
    client_product: '',
    client_class: '',
    server_name: '',
    server_host: '',
    server_product: '',
    server_class: '',
    database: '',
    security_mechanism: '',
    user: '',
    password: false,
    login: '',
    commands: [],
    sql_statements: 0,
  };

  constructor() {
    super(p.MAX_DSS, 'drda.bad_dss');
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    const n = p.dssLength(buf, off, len);
    return n === null ? FRAME_BAD : n < 0 ? FRAME_NEED_MORE : n;
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    this.dss(this.ctx!, this.isOrig, buf, off, len);
  }

  end(ctx: AnalyzerContext): void {
    this.flushCred(ctx, null);
    if (!this.confirmed) return;
    this.confirmed = false;
    ctx.emit(this.s);
  }

  private dss(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, o: number, len: number): void {
    const obj = p.params(b, o, len);
    if (obj === null) return;
    if (!this.confirmed) {
      if (!isOrig) return;
      this.confirmed = true;
      const pk = ctx.packet;
      this.s.packet = pk.packetNo;
      this.s.tsSec = pk.tsSec;
      this.s.tsNsec = pk.tsNsec;
      ctx.confirm('drda');
    }
    const s = this.s;
    const name = p.CODE_POINTS[obj.cp] ?? `0x${obj.cp.toString(16).padStart(4, '0')}`;
    if (s.commands.length < MAX_COMMANDS && !s.commands.includes(name)) s.commands.push(name);
    if (p.SQL_CODE_POINTS.has(obj.cp) && isOrig) s.sql_statements++;
    const text = (cp: number, max = 255): string => {
      const x = obj.list.find((q) => q.cp === cp);
      return x === undefined ? '' : p.charParam(b, x.off, x.len, max);
    };
    const num = (cp: number): number | null => {
      const x = obj.list.find((q) => q.cp === cp);
      if (x === undefined || x.len < 1) return null;
      return x.len >= 2 ? p.u16(b, x.off) : b[x.off];
    };
    switch (obj.cp) {
      case p.EXCSAT:
      case p.EXCSATRD: {
        const client = obj.cp === p.EXCSAT;
        const ext = text(p.EXTNAM).split(/\s+/)[0] ?? '';
        const host = text(p.SRVNAM);
        const rel = text(p.SRVRLSLV);
        const cls = text(p.SRVCLSNM);
        if (client) {
          s.client_name ||= ext;
          s.client_host ||= host;
          s.client_product ||= rel;
          s.client_class ||= cls;
        } else {
          s.server_name ||= ext;
          s.server_host ||= host;
          s.server_product ||= rel;
          s.server_class ||= cls;
        }
        this.software(ctx, client, rel, cls);
        break;
      }
      case p.ACCSEC:
      case p.ACCSECRD: {
        const m = num(p.SECMEC);
        if (m !== null) s.security_mechanism = p.SECMECS[m] ?? String(m);
        const db = p.databaseName(text(p.RDBNAM));
        if (db !== '') s.database ||= db;
        break;
      }
      case p.SECCHK: {
        const m = num(p.SECMEC);
        if (m !== null) s.security_mechanism = p.SECMECS[m] ?? String(m);
        const user = text(p.USRID);
        if (user !== '') s.user = user;
        const pw = obj.list.find((q) => q.cp === p.PASSWORD);
        if (pw !== undefined && pw.len > 0) {
          s.password = true;
          this.flushCred(ctx, null);
          const c = ctx.conn;
          this.cred = {
            type: 'credential',
            service: 'drda',
            protocol: 'drda',
            mechanism: 'USRIDPWD',
            user,
            password: REDACTED,
            secret: secretDigest(p.charParam(b, pw.off, pw.len, 255)),
            host: respHost(c),
            host_p: c.rPort,
            packet: ctx.packet.packetNo,
          };
        }
        break;
      }
      case p.SECCHKRM: {
        const code = num(p.SECCHKCD);
        if (code !== null) {
          s.login = p.SECCHK_CODES[code] ?? `code 0x${code.toString(16)}`;
          this.flushCred(ctx, code === 0);
        }
        break;
      }
      case p.ACCRDB:
      case p.ACCRDBRM: {
        const db = p.databaseName(text(p.RDBNAM));
        if (db !== '') s.database ||= db;
        const prd = text(p.PRDID, 16);
        if (prd !== '') {
          if (obj.cp === p.ACCRDB) s.client_product ||= prd;
          else s.server_product ||= prd;
          this.software(ctx, obj.cp === p.ACCRDB, prd, '');
        }
        break;
      }
    }
  }

  private readonly announced = [false, false];

  /** software.log: the client's driver and the server's product, once each. */
  private software(ctx: AnalyzerContext, client: boolean, release: string, cls: string): void {
    const product = p.productName(release);
    if (product === null || this.announced[client ? 0 : 1]) return;
    this.announced[client ? 0 : 1] = true;
    const c = ctx.conn;
    const unparsed = cls !== '' && !product.startsWith(cls) ? `${product} (${cls})` : product;
    if (client) ctx.emit({ type: 'software', host: origHost(c), software_type: 'DRDA::CLIENT', unparsed_version: unparsed });
    else ctx.emit({ type: 'software', host: respHost(c), host_p: c.rPort, software_type: 'DRDA::SERVER', unparsed_version: unparsed });
  }

  private flushCred(ctx: AnalyzerContext, success: boolean | null): void {
    const cred = this.cred;
    if (cred === null) return;
    this.cred = null;
    if (success !== null) cred.success = success;
    ctx.emit(cred as { type: string });
  }
}
