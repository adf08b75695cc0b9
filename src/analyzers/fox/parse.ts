// Niagara Fox, the protocol of Tridium's Niagara Framework (JACE controllers, Supervisors and the
// Workbench that programs them; sold under many brands: Honeywell, Vykon, Distech, Johnson
// Controls …) on TCP 1911 (4911 is Fox over TLS). A text protocol of messages: a header line
//   fox <type> <sequence> <reply-to> <channel> <command>
// then a body in braces of key=type:value lines (s string, i integer, b boolean, o object …)
// closed by "};;". A session opens with "fox hello" both ways: the client's names the program
// connecting (Workbench, another station), the station's its host name and address, Niagara and
// Java versions, OS, station name, host id and brand. (Format as Nmap's fox-info script and the
// public write-ups of the protocol give it; Tridium publishes no specification.)
// Pure functions only.

export const FOX_PORT = 1911;
export const MAX_LINE = 2048;

export interface FoxHeader {
  type: string;
  sequence: number;
  replyTo: number;
  channel: string;
  command: string;
}

const HEADER = /^fox ([a-z]) (-?\d{1,9}) (-?\d{1,9}) ([A-Za-z][\w.]{0,31}) ([A-Za-z][\w.]{0,63})$/;

/** A message's header line ("fox a 0 -1 fox hello"), or null. */
export function parseHeader(line: string): FoxHeader | null {
  const m = HEADER.exec(line);
  if (m === null) return null;
  return { type: m[1], sequence: Number(m[2]), replyTo: Number(m[3]), channel: m[4], command: m[5] };
}

/** A body line "key=type:value" (the value's type a letter), or null. */
export function parseField(line: string): { key: string; kind: string; value: string } | null {
  const m = /^([A-Za-z][\w.]{0,63})=([a-z]):(.*)$/.exec(line);
  if (m === null) return null;
  return { key: m[1], kind: m[2], value: m[3] };
}

/** True when `buf` starts with a Fox header's "fox " and a one-letter type. */
export function looksLikeFox(buf: Uint8Array, off: number, len: number): boolean {
  return len >= 7 && buf[off] === 0x66 && buf[off + 1] === 0x6f && buf[off + 2] === 0x78 && buf[off + 3] === 0x20 && buf[off + 4] >= 0x61 && buf[off + 4] <= 0x7a && buf[off + 5] === 0x20;
}
