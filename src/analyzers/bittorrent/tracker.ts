// A BitTorrent tracker announce or scrape over HTTP (BEP 3, BEP 48): GET <path>announce?
// info_hash=<20 bytes>&peer_id=<20 bytes>&port=… The HTTP analyzer percent-decodes the target
// (as Zeek's http.log does): to UTF-8 text when the bytes are valid UTF-8, otherwise with
// Zeek's \xNN escapes. The bytes are recovered from either form, and the hash and id read as 20
// bytes each (they may include '&' or '=').
import { clientOfPeerId, clientText } from './clients.js';
import { hex } from './parse.js';

export interface HttpAnnounce {
  kind: 'announce' | 'scrape';
  infoHash: string | null;
  client: string | null;
  port: number | null;
}

const ESCAPED = /\\x[0-9a-fA-F]{2}/;

/** The decoded target's bytes. */
function targetBytes(uri: string): Uint8Array {
  if (!ESCAPED.test(uri)) return Buffer.from(uri, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c === 0x5c && uri.charCodeAt(i + 1) === 0x78 && /^[0-9a-fA-F]{2}$/.test(uri.slice(i + 2, i + 4))) {
      out.push(parseInt(uri.slice(i + 2, i + 4), 16));
      i += 3;
    } else out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}

function indexOf(b: Uint8Array, text: string, from: number): number {
  outer: for (let i = from; i + text.length <= b.length; i++) {
    for (let k = 0; k < text.length; k++) if (b[i + k] !== text.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/** The 20 bytes after "<key>=" as a query parameter, or null. */
function param20(b: Uint8Array, key: string, q: number): Uint8Array | null {
  let i = indexOf(b, `?${key}=`, q);
  if (i < 0) i = indexOf(b, `&${key}=`, q);
  if (i < 0) return null;
  const from = i + key.length + 2;
  return from + 20 <= b.length ? b.subarray(from, from + 20) : null;
}

export function httpAnnounce(uri: string): HttpAnnounce | null {
  const q = uri.indexOf('?');
  if (q < 0 || uri.length > 4096) return null;
  const path = uri.slice(0, q).toLowerCase();
  const kind = /announce(\.php)?$/.test(path) ? 'announce' : /scrape(\.php)?$/.test(path) ? 'scrape' : null;
  if (kind === null) return null;
  const b = targetBytes(uri);
  const qb = b.indexOf(0x3f);
  const ih = param20(b, 'info_hash', qb);
  if (ih === null) return null;
  const id = param20(b, 'peer_id', qb);
  if (kind === 'announce' && id === null) return null;
  const cl = id !== null ? clientOfPeerId(id) : null;
  const pm = /[?&]port=(\d{1,5})(?:&|$)/.exec(uri.slice(q));
  const port = pm !== null && Number(pm[1]) > 0 && Number(pm[1]) < 65536 ? Number(pm[1]) : null;
  return { kind, infoHash: hex(ih, 0, 20), client: cl !== null ? clientText(cl) : null, port };
}
