// Parameters of MIME-style header fields, shared by HTTP, e-mail (SMTP) and multipart bodies:
// a parameter's value (`boundary`, `name`; RFC 2045 §5.1, quoted or token) and the file name of
// a Content-Disposition field (RFC 6266 §4.1, RFC 2231's filename* first).
import { percentDecode } from '../textproto.js';

const PARAM_RE = new Map<string, RegExp>();

/** A parameter of a structured header field, unquoted, or null. */
export function mimeParam(v: string, name: string): string | null {
  let re = PARAM_RE.get(name);
  if (re === undefined) {
    re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i');
    PARAM_RE.set(name, re);
  }
  const m = re.exec(v);
  if (m === null) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/**
 * The file name of a Content-Disposition field: filename*=UTF-8''… (percent-decoded) over
 * filename=, quoted or not; path components dropped, bounded.
 */
export function dispositionFilename(v: string): string | null {
  const ext = /(?:^|;)\s*filename\*\s*=\s*([\w!#$%&+^`{}~-]+)'[\w-]*'([^;\s]+)/i.exec(v);
  let name = ext !== null ? percentDecode(ext[2]) : mimeParam(v, 'filename');
  if (name === null) return null;
  name = name.replace(/^.*[\\/]/, '').trim();
  return name === '' ? null : name.slice(0, 256);
}

/** The boundary of a multipart Content-Type (RFC 2046 §5.1.1: 1 to 70 characters), or null. */
export function multipartBoundary(contentType: string): string | null {
  if (!/^\s*multipart\//i.test(contentType)) return null;
  const b = mimeParam(contentType, 'boundary');
  return b !== null && b.length > 0 && b.length <= 70 ? b : null;
}
