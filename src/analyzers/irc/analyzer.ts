// Per-flow IRC state, as Zeek's base/protocols/irc logs it: the client's NICK, USER and JOIN
// commands and DCC offers, one irc.log line each, with the nick and user current at the time.
// PASS sends the server password in clear: a credential event (its digest only), accepted when
// the server's 001 welcome follows, refused on 464. The server's 004 reply names its software.
// Messages themselves are not logged.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { LineCursor, credentialEvent, origHost, respHost, wireText } from '../textproto.js';
import type { IrcCommandEvent } from './events.js';
import { parseDcc, parseLine } from './parse.js';

/** RFC 2812 §2.3: 512 bytes a line; servers with IRCv3 tags send up to 8 KiB. */
const MAX_LINE = 8704;
const MAX_VALUE = 256;
/** Lines read per direction (chat goes on for hours; registration and joins come first). */
const MAX_LINES = 4096;

export class IrcAnalyzer implements FlowAnalyzer {
  private readonly cursors = [new LineCursor(MAX_LINE), new LineCursor(MAX_LINE)];
  private readonly lines = [0, 0];
  private nick: string | undefined;
  private user: string | undefined;
  private pass: string | null = null;
  private confirmed = false;
  private softwareSeen = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const side = isOrig ? 0 : 1;
    if (this.lines[side] >= MAX_LINES) return;
    const cur = this.cursors[side];
    cur.load(buf, off, len);
    for (let l = cur.line(); l !== null; l = cur.line()) {
      if (++this.lines[side] > MAX_LINES) break;
      const m = parseLine(l);
      if (m === null) continue;
      if (isOrig) this.client(ctx, m.command, m.params);
      else this.server(ctx, m.command, m.params);
    }
    cur.save();
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('irc');
  }

  private emit(ctx: AnalyzerContext, command: string, value: string | undefined, addl?: string, dcc?: { file: string; size?: number }): void {
    const ev: IrcCommandEvent = { type: 'irc.command', command, packet: ctx.packet.packetNo };
    if (this.nick !== undefined) ev.nick = this.nick;
    if (this.user !== undefined) ev.user = this.user;
    if (value !== undefined && value !== '') ev.value = wireText(value).slice(0, MAX_VALUE);
    if (addl !== undefined && addl !== '') ev.addl = wireText(addl).slice(0, MAX_VALUE);
    if (dcc !== undefined) {
      ev.dcc_file_name = wireText(dcc.file).slice(0, MAX_VALUE);
      if (dcc.size !== undefined) ev.dcc_file_size = dcc.size;
    }
    ctx.emit(ev);
  }

  private client(ctx: AnalyzerContext, command: string, p: string[]): void {
    switch (command) {
      case 'PASS':
        if (p[0] !== undefined) this.pass = p[0];
        return;
      case 'NICK':
        if (p[0] === undefined) return;
        this.emit(ctx, 'NICK', p[0]);
        this.nick = p[0].slice(0, MAX_VALUE);
        return;
      case 'USER':
        if (p[0] === undefined) return;
        this.user = p[0].slice(0, MAX_VALUE);
        // Zeek: value the user name, addl "<host> <server> <real name>".
        this.emit(ctx, 'USER', p[0], p.slice(1).join(' '));
        return;
      case 'JOIN':
        if (p[0] === undefined) return;
        // "JOIN #a,#b key1,key2": one line per channel, keys never logged.
        for (const ch of p[0].split(',').slice(0, 16)) this.emit(ctx, 'JOIN', ch);
        return;
      case 'PRIVMSG': {
        const dcc = p[1] === undefined ? null : parseDcc(p[1]);
        if (dcc !== null) this.emit(ctx, 'DCC', `${dcc.type} ${dcc.host}:${dcc.port}`, p[0], { file: dcc.file, size: dcc.size });
        return;
      }
    }
  }

  private server(ctx: AnalyzerContext, command: string, p: string[]): void {
    if (/^\d{3}$/.test(command) || command === 'NOTICE' || command === 'PING' || command === 'ERROR') this.confirm(ctx);
    if (command === '001' || command === '464') this.credential(ctx, command === '001');
    else if (command === '004' && !this.softwareSeen && p[2] !== undefined) {
      // "004 <nick> <servername> <version> <usermodes> <chanmodes>"
      this.softwareSeen = true;
      ctx.emit({ type: 'software', host: respHost(ctx.conn), host_p: ctx.conn.rPort, software_type: 'IRC::SERVER', unparsed_version: wireText(p[2]).slice(0, MAX_VALUE) });
    }
  }

  private credential(ctx: AnalyzerContext, ok: boolean): void {
    if (this.pass === null) return;
    const ev = credentialEvent('irc', this.nick ?? '', this.pass, ok);
    this.pass = null;
    ev.server = respHost(ctx.conn);
    ev.client = origHost(ctx.conn);
    ctx.emit(ev);
  }

  end(ctx: AnalyzerContext): void {
    // A password the server never answered still crossed the wire.
    if (this.pass !== null) {
      const ev = credentialEvent('irc', this.nick ?? '', this.pass);
      this.pass = null;
      ctx.emit(ev);
    }
  }
}
