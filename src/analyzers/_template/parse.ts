// Template protocol parser: a pure function from bytes to a parsed message or a status.
// The template protocol is line-based: "HELLO <name>\r\n" from the client, "OK <text>\r\n" back.
// Copy this folder to start a new analyzer; keep parse.ts free of state and I/O.

export const MAX_LINE = 1024;

export type ParseStatus = 'need_more' | 'bad';

export interface TemplateMessage {
  verb: string;
  arg: string;
  /** Bytes consumed, including the line terminator. */
  consumed: number;
}

/** Parses one line starting at `off`. Never reads past `off + len`. */
export function parseLine(buf: Uint8Array, off: number, len: number): TemplateMessage | ParseStatus {
  const end = off + Math.min(len, MAX_LINE);
  for (let i = off; i < end; i++) {
    if (buf[i] === 0x0a) {
      let stop = i;
      if (stop > off && buf[stop - 1] === 0x0d) stop--;
      const line = Buffer.from(buf.buffer, buf.byteOffset + off, stop - off).toString('latin1');
      const sp = line.indexOf(' ');
      const verb = sp < 0 ? line : line.slice(0, sp);
      if (!/^[A-Z]{2,8}$/.test(verb)) return 'bad';
      return { verb, arg: sp < 0 ? '' : line.slice(sp + 1), consumed: i + 1 - off };
    }
  }
  return len >= MAX_LINE ? 'bad' : 'need_more';
}
