// The rsync daemon protocol (rsync's clientserver.c and rsyncd.conf(5); no RFC): both sides open
// with "@RSYNCD: <protocol>[.<sub>] [<checksum names> …]\n"; the client then names a module, or
// sends an empty line or "#list" for the module list. The daemon answers with its MOTD lines and
// "@RSYNCD: OK", "@RSYNCD: AUTHREQD <challenge>" (the client answers "<user> <response>", a hash
// of the password and challenge), "@ERROR: <text>", or, for a list, "<module>\t<comment>" lines
// and "@RSYNCD: EXIT". After OK the client sends its command-line arguments (NUL-terminated from
// protocol 30, newline-terminated before; an empty one ends them: "--sender" when the client
// receives), then the binary protocol begins — file lists and file contents, never encrypted.

export const GREETING = '@RSYNCD: ';

export interface Greeting {
  /** "32.0", "30.0", "31". */
  version: string;
  major: number;
  /** Checksum names offered (protocol 32 lists them after the version). */
  checksums: string[];
}

/** A greeting line (without its newline), or null. */
export function parseGreeting(line: string): Greeting | null {
  if (!line.startsWith(GREETING)) return null;
  const words = line.slice(GREETING.length).trim().split(/\s+/);
  const m = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(words[0] ?? '');
  if (m === null) return null;
  return { version: words[0], major: Number(m[1]), checksums: words.slice(1).filter((w) => /^[a-z0-9]{2,16}$/.test(w)).slice(0, 12) };
}

/** Whether `b` starts like a greeting (the first `len` bytes of "@RSYNCD: " and a digit). */
export function startsGreeting(b: Uint8Array, o: number, len: number): boolean {
  const n = Math.min(len, GREETING.length);
  for (let i = 0; i < n; i++) if (b[o + i] !== GREETING.charCodeAt(i)) return false;
  if (len > GREETING.length) return b[o + GREETING.length] >= 0x30 && b[o + GREETING.length] <= 0x39;
  return true;
}

/** A module list line: "<name><spaces>\t<comment>". */
export function parseModuleLine(line: string): { name: string; comment: string } | null {
  const t = line.indexOf('\t');
  const name = (t < 0 ? line : line.slice(0, t)).trim();
  if (name === '' || name.length > 128 || /[\s/]/.test(name)) return null;
  return { name, comment: t < 0 ? '' : line.slice(t + 1).trim().slice(0, 200) };
}
