// SSDP parser (UPnP Device Architecture 2.0 §1: HTTPU over UDP 1900): a start line (M-SEARCH,
// NOTIFY, or an HTTP/1.x response) and HTTP-style headers (RFC 9112 §5), case-insensitive.
// Pure: one datagram in, the discovery fields out.

export const MAX_DATAGRAM = 8192;
const MAX_HEADERS = 64;
const MAX_VALUE = 512;

export interface SsdpMessage {
  /** M-SEARCH, NOTIFY, or RESPONSE for an "HTTP/1.1 200 OK" answer. */
  method: string;
  status_code?: number;
  server?: string;
  user_agent?: string;
  nt?: string;
  nts?: string;
  st?: string;
  usn?: string;
  location?: string;
  man?: string;
  mx?: string;
  cache_control?: string;
}

const FIELDS: Record<string, keyof SsdpMessage> = {
  server: 'server',
  'user-agent': 'user_agent',
  nt: 'nt',
  nts: 'nts',
  st: 'st',
  usn: 'usn',
  location: 'location',
  man: 'man',
  mx: 'mx',
  'cache-control': 'cache_control',
};

const REQUEST = /^(M-SEARCH|NOTIFY) \* HTTP\/1\.[01]$/;
const RESPONSE = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/;

export function parseSsdp(buf: Uint8Array, off: number, len: number): SsdpMessage | 'bad' {
  const text = Buffer.from(buf.buffer, buf.byteOffset + off, Math.min(len, MAX_DATAGRAM)).toString('latin1');
  const lines = text.split(/\r?\n/);
  const first = lines[0];
  let msg: SsdpMessage;
  const req = REQUEST.exec(first);
  if (req !== null) msg = { method: req[1] };
  else {
    const resp = RESPONSE.exec(first);
    if (resp === null) return 'bad';
    msg = { method: 'RESPONSE', status_code: Number(resp[1]) };
  }
  const n = Math.min(lines.length, MAX_HEADERS + 1);
  for (let i = 1; i < n; i++) {
    const l = lines[i];
    if (l === '') break;
    const c = l.indexOf(':');
    if (c <= 0) continue;
    const key = FIELDS[l.slice(0, c).trim().toLowerCase()];
    if (key === undefined || key === 'method' || key === 'status_code') continue;
    const v = l.slice(c + 1).trim().slice(0, MAX_VALUE);
    if (v !== '') msg[key] = v;
  }
  // A bare HTTP response over UDP is SSDP only if it carries discovery headers.
  if (msg.method === 'RESPONSE' && msg.st === undefined && msg.usn === undefined) return 'bad';
  return msg;
}
