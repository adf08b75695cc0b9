// Readers for the peers' expected outputs in the shared corpus: suricata-verify `test.yaml`
// checks, Arkime `.test` session JSON and nDPI `.pcap.out` flow lines. Only the shapes those
// files use are handled; they are test fixtures, not general formats.
import { readFileSync } from 'node:fs';

export interface SuricataCheck {
  count: number | null;
  /** Dotted EVE keys (`dhcp.params[0]`) → the expected value as written (quotes removed). */
  match: Record<string, string>;
}

/** The `filter:` checks of a suricata-verify test.yaml (count + match block). */
export function suricataChecks(path: string): SuricataCheck[] {
  const out: SuricataCheck[] = [];
  let cur: SuricataCheck | null = null;
  let inMatch = false;
  let matchIndent = -1;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const t = line.trim();
    if (/^-?\s*filter:$/.test(t)) {
      cur = { count: null, match: {} };
      out.push(cur);
      inMatch = false;
      continue;
    }
    if (cur === null) continue;
    if (inMatch && indent <= matchIndent) inMatch = false;
    const kv = /^([^:]+):\s*(.*)$/.exec(t);
    if (kv === null) continue;
    if (inMatch) {
      cur.match[kv[1].trim()] = unquote(kv[2]);
    } else if (kv[1] === 'count') cur.count = Number(kv[2]);
    else if (kv[1] === 'match') {
      inMatch = true;
      matchIndent = indent;
    }
  }
  return out;
}

function unquote(v: string): string {
  const s = v.trim();
  if (s.length >= 2 && s[0] === '"' && s.endsWith('"')) return JSON.parse(s) as string;
  return s;
}

/** The session bodies of an Arkime `.test` file. */
export function arkimeSessions(path: string): Record<string, unknown>[] {
  const d = JSON.parse(readFileSync(path, 'utf8')) as { sessions3?: { body: Record<string, unknown> }[] };
  return (d.sessions3 ?? []).map((s) => s.body);
}

export interface NdpiFlow {
  proto: string;
  a: string;
  aPort: number;
  b: string;
  bPort: number;
  /** nDPI's protocol label, e.g. `DNS`, `DNS.Google`, `NetBIOS.SMBv1`. */
  app: string;
  hostname?: string;
  line: string;
}

/** The per-flow lines of an nDPI `.pcap.out` result. */
export function ndpiFlows(path: string): NdpiFlow[] {
  const out: NdpiFlow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s+\d+\s+(TCP|UDP)\s+(\[[^\]]+\]|[\d.]+):(\d+)\s+<?->\s+(\[[^\]]+\]|[\d.]+):(\d+)\s.*?\[proto: [\d.]+\/([^\]]+)\]/.exec(line);
    if (m === null) continue;
    const f: NdpiFlow = { proto: m[1], a: m[2].replace(/^\[|\]$/g, ''), aPort: Number(m[3]), b: m[4].replace(/^\[|\]$/g, ''), bPort: Number(m[5]), app: m[6], line };
    const h = /\[Hostname\/SNI: ([^\]]*)\]/.exec(line);
    if (h !== null) f.hostname = h[1];
    out.push(f);
  }
  return out;
}
