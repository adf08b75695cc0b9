// IMAP4rev2, pure functions (RFC 9051 §2.2 command/response lines, §4.3 string forms: atom,
// quoted string, literal {n} and non-synchronising literal {n+} (RFC 7888), §7.5 tagged and
// untagged status responses, §7.5 "+" continuation requests).

export const MAX_LINE = 16 * 1024;
/** Literal bytes kept in a client command (LOGIN arguments); longer literals are skipped. */
export const MAX_KEPT_LITERAL = 1024;
/** Longest literal accepted at all (RFC 9051 leaves it open; messages can be large). */
export const MAX_LITERAL = 2 ** 40;

/** Size of the literal announced at the end of a line ("… {123}" or "{123+}"), or -1. */
export function trailingLiteral(line: string): number {
  const m = /\{(\d{1,13})\+?\}$/.exec(line);
  if (m === null) return -1;
  const n = Number(m[1]);
  return n <= MAX_LITERAL ? n : -1;
}

export interface ImapCommand {
  tag: string;
  cmd: string;
  /** The rest of the line (with any literals substituted as quoted strings). */
  args: string;
}

/** tag SP command [SP args] (§2.2.1); a tag is any atom chars except '+'. */
export function parseCommand(line: string): ImapCommand | null {
  const m = /^([^\s(){%*"\\\]+]{1,64}) ([A-Za-z][A-Za-z0-9.-]{0,31})(?: (.*))?$/.exec(line);
  if (m === null) return null;
  let cmd = m[2].toUpperCase();
  let args = m[3] ?? '';
  // "UID FETCH …" and friends: the verb is the second word.
  if (cmd === 'UID') {
    const u = /^([A-Za-z]+)(?: (.*))?$/.exec(args);
    if (u !== null) {
      cmd = 'UID ' + u[1].toUpperCase();
      args = u[2] ?? '';
    }
  }
  return { tag: m[1], cmd, args };
}

export type ImapResponse =
  | { kind: 'tagged'; tag: string; status: 'OK' | 'NO' | 'BAD'; text: string }
  | { kind: 'untagged'; status: string; text: string }
  | { kind: 'continue'; text: string };

export function parseResponse(line: string): ImapResponse | null {
  if (line === '+' || line.startsWith('+ ')) return { kind: 'continue', text: line.slice(2) };
  let m = /^\* ([A-Za-z0-9]+)(?: (.*))?$/.exec(line);
  if (m !== null) return { kind: 'untagged', status: m[1].toUpperCase(), text: m[2] ?? '' };
  m = /^([^\s(){%*"\\\]+]{1,64}) (OK|NO|BAD)(?: (.*))?$/i.exec(line);
  if (m !== null) return { kind: 'tagged', tag: m[1], status: m[2].toUpperCase() as 'OK' | 'NO' | 'BAD', text: m[3] ?? '' };
  return null;
}

/** Quotes a value as an IMAP quoted string (used to splice literals into a command line). */
export function quote(s: string): string {
  return '"' + s.replace(/(["\\])/g, '\\$1') + '"';
}

/** Splits arguments into astrings (atoms or quoted strings, §4.3); at most `max` of them. */
export function astrings(args: string, max: number): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < args.length && out.length < max) {
    while (args[i] === ' ') i++;
    if (i >= args.length) break;
    if (args[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= args.length) return null;
        const ch = args[i++];
        if (ch === '\\' && i < args.length) v += args[i++];
        else if (ch === '"') break;
        else v += ch;
      }
      out.push(v);
    } else {
      const m = /^[^\s()"{]+/.exec(args.slice(i));
      if (m === null) return null;
      out.push(m[0]);
      i += m[0].length;
    }
  }
  return out;
}

/** The greeting's text without its response code ("[CAPABILITY …] Dovecot ready." → "Dovecot ready."). */
export function greetingText(text: string): string {
  return text.replace(/^\[[^\]]*\]\s*/, '');
}

export const KNOWN_COMMANDS = new Set(['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'AUTHENTICATE', 'LOGIN', 'ENABLE', 'SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'NAMESPACE', 'STATUS', 'APPEND', 'IDLE', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'SEARCH', 'FETCH', 'STORE', 'COPY', 'MOVE', 'UID FETCH', 'UID SEARCH', 'UID STORE', 'UID COPY', 'UID MOVE', 'UID EXPUNGE', 'ID', 'CHECK']);
