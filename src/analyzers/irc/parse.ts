// IRC (RFC 1459, RFC 2812) lines: "[:prefix ]COMMAND params [:trailing]". Clients register
// with PASS, NICK and USER, join channels and send PRIVMSG; servers answer with numeric
// replies (001 welcome, 004 server name and version, 464 bad password …). DCC offers travel
// inside PRIVMSG as CTCP: "\x01DCC SEND file ip port size\x01".

export interface IrcLine {
  prefix: string;
  command: string;
  params: string[];
}

/** Parameters read per line (RFC 2812 §2.3: at most 15). */
const MAX_PARAMS = 15;

/** One IRC line (without CR LF), or null when it is not one. */
export function parseLine(s: string): IrcLine | null {
  let p = 0;
  let prefix = '';
  if (s.startsWith(':')) {
    const sp = s.indexOf(' ');
    if (sp < 2) return null;
    prefix = s.slice(1, sp);
    p = sp + 1;
  }
  while (s.charCodeAt(p) === 0x20) p++;
  const m = /^([A-Za-z]+|\d{3})(?= |$)/.exec(s.slice(p, p + 32));
  if (m === null) return null;
  const command = m[1].toUpperCase();
  p += m[1].length;
  const params: string[] = [];
  while (p < s.length && params.length < MAX_PARAMS) {
    while (s.charCodeAt(p) === 0x20) p++;
    if (p >= s.length) break;
    if (s.charCodeAt(p) === 0x3a) {
      params.push(s.slice(p + 1));
      break;
    }
    const sp = s.indexOf(' ', p);
    const end = sp < 0 ? s.length : sp;
    params.push(s.slice(p, end));
    p = end;
  }
  return { prefix, command, params };
}

/** Commands a client registers or chats with: what the probe accepts as a first line. */
export const CLIENT_OPENERS = new Set(['NICK', 'USER', 'PASS', 'CAP', 'SERVICE']);

export interface Dcc {
  type: string;
  file: string;
  host: string;
  port: number;
  size?: number;
}

/** A CTCP DCC offer inside a PRIVMSG text (the IP as a 32-bit decimal number or text). */
export function parseDcc(text: string): Dcc | null {
  const m = /^\x01DCC (SEND|CHAT|RESUME|ACCEPT) ("[^"]*"|\S+) (\S+) (\d{1,5})(?: (\d+))?/i.exec(text);
  if (m === null) return null;
  let host = m[3];
  if (/^\d+$/.test(host)) {
    const n = Number(host);
    host = n < 2 ** 32 ? `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}` : host;
  }
  const out: Dcc = { type: m[1].toUpperCase(), file: m[2].replace(/^"|"$/g, ''), host, port: Number(m[4]) };
  if (m[5] !== undefined) out.size = Number(m[5]);
  return out;
}
