// Per-flow Niagara Fox state: each direction read line by line (bounded), messages told apart
// by their header lines; the fields of each side's hello kept (the station's are the responder's
// identity, the client's the connecting program), later messages named by channel:command. A
// body field named like a user is kept, one named like a password only noted. One
// niagara_fox.session event when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { LineCursor } from '../textproto.js';
import type { FoxSession } from './events.js';
import { MAX_LINE, parseField, parseHeader } from './parse.js';

const MAX_COMMANDS = 32;
const MAX_VALUE = 256;

/** The station's hello keys → the event's fields. */
const SERVER_KEYS: Record<string, keyof FoxSession> = {
  'fox.version': 'fox_version',
  hostName: 'host_name',
  hostAddress: 'host_address',
  'app.name': 'app_name',
  'app.version': 'app_version',
  'vm.name': 'vm_name',
  'vm.version': 'vm_version',
  'os.name': 'os_name',
  'os.version': 'os_version',
  'station.name': 'station_name',
  lang: 'lang',
  timeZone: 'time_zone',
  hostId: 'host_id',
  brandId: 'brand_id',
};

/** The client's hello keys → the event's client fields (os.name and os.version joined). */
const CLIENT_KEYS: Record<string, keyof FoxSession> = {
  'app.name': 'client_app',
  'app.version': 'client_app_version',
  hostName: 'client_host_name',
};

const USER_KEY = /^(user|username|userName|user\.name)$/;
const PASSWORD_KEY = /pass(word)?$/i;

interface Side {
  cursor: LineCursor;
  /** Inside a message body: 'hello' for the hello, 'other' for anything else, '' outside. */
  body: '' | 'hello' | 'other';
  os: string;
  osVersion: string;
}

function side(): Side {
  return { cursor: new LineCursor(MAX_LINE), body: '', os: '', osVersion: '' };
}

export class FoxAnalyzer implements FlowAnalyzer {
  private readonly s: FoxSession = { type: 'niagara_fox.session', tsSec: 0, tsNsec: 0, packet: 0, commands: [], messages: 0 };
  private readonly sides: [Side, Side] = [side(), side()];
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const sd = this.sides[isOrig ? 0 : 1];
    const cur = sd.cursor;
    cur.load(buf, off, len);
    for (let line = cur.line(); line !== null; line = cur.line()) this.line(ctx, isOrig, sd, line);
    cur.save();
    if (cur.overflows > 0) {
      cur.overflows = 0;
      ctx.weird('niagara_fox.line_too_long');
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    void ctx;
    const sd = this.sides[isOrig ? 0 : 1];
    sd.cursor.reset();
    sd.body = '';
  }

  private line(ctx: AnalyzerContext, isOrig: boolean, sd: Side, line: string): void {
    const h = line.startsWith('fox ') ? parseHeader(line) : null;
    if (h !== null) {
      this.confirm(ctx);
      this.s.messages++;
      const hello = h.channel === 'fox' && h.command === 'hello';
      if (!hello && this.s.commands.length < MAX_COMMANDS) {
        const name = `${h.channel}:${h.command}`;
        if (!this.s.commands.includes(name)) this.s.commands.push(name);
      }
      // The body follows on its own "{" line.
      sd.body = hello ? 'hello' : 'other';
      return;
    }
    if (sd.body === '') return;
    if (line.startsWith('}')) {
      // "};;" ends the message; a nested object's "}" may too, which only ends the fields early.
      if (sd.body === 'hello' && isOrig && sd.os !== '') this.s.client_os ??= `${sd.os}${sd.osVersion !== '' ? ` ${sd.osVersion}` : ''}`;
      sd.body = '';
      return;
    }
    const f = parseField(line);
    if (f === null) return;
    const value = f.value.length > MAX_VALUE ? f.value.slice(0, MAX_VALUE) : f.value;
    if (PASSWORD_KEY.test(f.key)) {
      this.s.has_password = true;
      return;
    }
    if (USER_KEY.test(f.key) && f.kind === 's' && value !== '') this.s.user ??= value;
    if (sd.body !== 'hello' || f.kind !== 's') return;
    if (isOrig) {
      if (f.key === 'os.name') sd.os = value;
      else if (f.key === 'os.version') sd.osVersion = value;
      const k = CLIENT_KEYS[f.key];
      if (k !== undefined && this.s[k] === undefined) this.s[k] = value;
      return;
    }
    // timeZone=s:America/New_York;-18000000;3600000;… : the zone's name is enough.
    const k = SERVER_KEYS[f.key];
    if (k !== undefined && this.s[k] === undefined) this.s[k] = f.key === 'timeZone' ? value.split(';')[0] : value;
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    confirmSummary(ctx, this.s, 'niagara_fox');
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
