// Telnet, pure functions (RFC 854 command structure: IAC, option negotiation WILL/WONT/DO/DONT,
// subnegotiation SB … IAC SE; RFC 1091 TERMINAL-TYPE, RFC 1572 NEW-ENVIRON, RFC 2941
// AUTHENTICATION). stripIac() separates a direction's data bytes from its commands; the
// scanner's position inside a command is passed in and returned, so a command split across
// segments is still understood, and nothing else is remembered.

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;

export const OPT_TTYPE = 24;
export const OPT_AUTHENTICATION = 37;
export const OPT_ENVIRON = 36;
export const OPT_NEW_ENVIRON = 39;

/** Longest subnegotiation kept; longer ones are cut (their data is not needed whole). */
export const MAX_SB = 512;

/** Where the scanner stands between two calls. */
export interface IacState {
  /** 0 data, 1 after IAC, 2 after WILL/WONT/DO/DONT, 3 in SB, 4 IAC inside SB. */
  mode: number;
  sb: number[];
}

export function newIacState(): IacState {
  return { mode: 0, sb: [] };
}

export interface IacResult {
  /** The data bytes with every command removed (IAC IAC becomes one 255). */
  data: Uint8Array;
  /** Option negotiations seen: [verb, option] pairs. */
  negotiations: number;
  /** Complete subnegotiations: their bytes after SB, without IAC SE. */
  subnegs: Uint8Array[];
  /** Malformed sequences (e.g. SB ended by something other than SE). */
  errors: number;
}

export function stripIac(buf: Uint8Array, off: number, len: number, st: IacState): IacResult {
  const data = new Uint8Array(len);
  let n = 0;
  let negotiations = 0;
  let errors = 0;
  const subnegs: Uint8Array[] = [];
  for (let i = off; i < off + len; i++) {
    const c = buf[i];
    switch (st.mode) {
      case 0:
        if (c === IAC) st.mode = 1;
        else data[n++] = c;
        break;
      case 1:
        if (c === IAC) {
          data[n++] = IAC;
          st.mode = 0;
        } else if (c >= WILL && c <= DONT) st.mode = 2;
        else if (c === SB) {
          st.mode = 3;
          st.sb = [];
        } else st.mode = 0; // a two-byte command (NOP, GA, AYT, IP …)
        break;
      case 2:
        negotiations++;
        st.mode = 0;
        break;
      case 3:
        if (c === IAC) st.mode = 4;
        else if (st.sb.length < MAX_SB) st.sb.push(c);
        break;
      case 4:
        if (c === SE) {
          subnegs.push(Uint8Array.from(st.sb));
          st.sb = [];
          st.mode = 0;
        } else if (c === IAC) {
          if (st.sb.length < MAX_SB) st.sb.push(IAC);
          st.mode = 3;
        } else {
          errors++;
          st.sb = [];
          st.mode = 0;
        }
        break;
    }
  }
  return { data: data.subarray(0, n), negotiations, subnegs, errors };
}

/** TERMINAL-TYPE IS <name> (RFC 1091): the terminal name, else null. */
export function terminalType(sb: Uint8Array): string | null {
  if (sb.length < 3 || sb[0] !== OPT_TTYPE || sb[1] !== 0) return null;
  return printable(sb.subarray(2));
}

/** NEW-ENVIRON / ENVIRON IS or INFO carrying VAR "USER" (RFC 1572 §2): the user, else null. */
export function environUser(sb: Uint8Array): string | null {
  if (sb.length < 2 || (sb[0] !== OPT_NEW_ENVIRON && sb[0] !== OPT_ENVIRON) || (sb[1] !== 0 && sb[1] !== 2)) return null;
  const VAR = 0;
  const VALUE = 1;
  const ESC = 2;
  const USERVAR = 3;
  let i = 2;
  while (i < sb.length) {
    const kind = sb[i++];
    if (kind !== VAR && kind !== USERVAR) return null;
    let name = '';
    while (i < sb.length && sb[i] !== VALUE && sb[i] !== VAR && sb[i] !== USERVAR) {
      if (sb[i] === ESC) i++;
      if (i < sb.length) name += String.fromCharCode(sb[i++]);
    }
    let value: number[] | null = null;
    if (i < sb.length && sb[i] === VALUE) {
      i++;
      value = [];
      while (i < sb.length && sb[i] !== VAR && sb[i] !== USERVAR) {
        if (sb[i] === ESC) i++;
        if (i < sb.length) value.push(sb[i++]);
      }
    }
    if (name === 'USER' && value !== null && value.length > 0) return printable(Uint8Array.from(value));
  }
  return null;
}

/** AUTHENTICATION NAME <name> (RFC 2941 §3.4): the name, else null. */
export function authName(sb: Uint8Array): string | null {
  const NAME = 3;
  if (sb.length < 3 || sb[0] !== OPT_AUTHENTICATION || sb[1] !== NAME) return null;
  return printable(sb.subarray(2));
}

function printable(b: Uint8Array): string | null {
  const s = Buffer.from(b).toString('latin1');
  return /^[\x20-\x7e]{1,128}$/.test(s) ? s : null;
}
