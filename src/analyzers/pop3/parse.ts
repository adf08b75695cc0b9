// POP3, pure functions (RFC 1939 §3 commands and "+OK"/"-ERR" status lines, §3 multi-line
// responses ending in a lone "."; RFC 2449 CAPA; RFC 5034 "+ " SASL continuations).

export const MAX_LINE = 8192;

export interface Pop3Command {
  cmd: string;
  arg: string;
}

/** A keyword of 3-4 letters (RFC 1939 §3; extensions up to 8) and its arguments. */
export function parseCommand(line: string): Pop3Command | null {
  const m = /^([A-Za-z]{3,8})(?:[ \t]+(.*))?$/.exec(line);
  if (m === null) return null;
  return { cmd: m[1].toUpperCase(), arg: (m[2] ?? '').trim() };
}

export type Pop3Status = '+OK' | '-ERR' | '+';

export interface Pop3Response {
  status: Pop3Status;
  text: string;
}

export function parseResponse(line: string): Pop3Response | null {
  const m = /^(\+OK|-ERR)(?:[ \t]+(.*)|$)/i.exec(line);
  if (m !== null) return { status: m[1].toUpperCase() as Pop3Status, text: (m[2] ?? '').trim() };
  if (line === '+' || line.startsWith('+ ')) return { status: '+', text: line.slice(1).trim() };
  return null;
}

/** Whether a successful response to this command is multi-line (RFC 1939 §5-7, RFC 2449). */
export function isMultiLine(cmd: string, arg: string): boolean {
  switch (cmd) {
    case 'RETR':
    case 'TOP':
    case 'CAPA':
      return true;
    case 'LIST':
    case 'UIDL':
      return arg === '';
    case 'AUTH':
      // Without a mechanism, some servers list the ones they offer.
      return arg === '';
    default:
      return false;
  }
}

export const KNOWN_COMMANDS = new Set(['USER', 'PASS', 'APOP', 'AUTH', 'STLS', 'CAPA', 'QUIT', 'STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL']);
