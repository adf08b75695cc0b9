// SMTP, pure functions: commands and replies (RFC 5321 §4.1, §4.2 incl. multi-line replies),
// mailbox extraction from MAIL/RCPT arguments and message header fields (RFC 5322 §3.4, §3.6),
// and the relay path from Received fields (RFC 5321 §4.4), as Zeek's smtp scripts take them.

/** Longest command, reply or header line handled; longer body lines are skipped unread. */
export const MAX_LINE = 16 * 1024;

export interface SmtpCommand {
  cmd: string;
  arg: string;
}

export function parseCommand(line: string): SmtpCommand | null {
  const m = /^([A-Za-z][A-Za-z-]{3,11})(?:[ \t]+(.*))?$/.exec(line);
  if (m === null) return null;
  return { cmd: m[1].toUpperCase(), arg: (m[2] ?? '').trim() };
}

export interface SmtpReply {
  code: number;
  /** '-' continues a multi-line reply, ' ' ends it. */
  sep: string;
  text: string;
}

export function parseReply(line: string): SmtpReply | null {
  const m = /^([2-5]\d\d)([ -]|$)(.*)$/.exec(line);
  if (m === null) return null;
  return { code: Number(m[1]), sep: m[2] === '' ? ' ' : m[2], text: m[3] };
}

const EMAIL_RE = /[^<>\[\]":;,\s()]+@[^<>\[\]":;,\s()]+/g;

/** Every address in a text (Zeek's extract_email_addrs_vec), in order, without duplicates. */
export function extractEmails(s: string, max = 100): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(EMAIL_RE)) {
    if (!out.includes(m[0])) out.push(m[0]);
    if (out.length >= max) break;
  }
  return out;
}

/** Splits an address-list header at commas outside quotes, angle brackets and comments. */
export function splitAddressList(v: string, max = 100): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let depthParen = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < v.length) {
        cur += ch + v[++i];
        continue;
      }
      if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depthAngle++;
    else if (ch === '>' && depthAngle > 0) depthAngle--;
    else if (ch === '(') depthParen++;
    else if (ch === ')' && depthParen > 0) depthParen--;
    else if (ch === ',' && depthAngle === 0 && depthParen === 0) {
      const t = cur.trim();
      if (t !== '' && !out.includes(t)) out.push(t);
      if (out.length >= max) return out;
      cur = '';
      continue;
    }
    cur += ch;
  }
  const t = cur.trim();
  if (t !== '' && !out.includes(t) && out.length < max) out.push(t);
  return out;
}

const WRAPPED_IP_RE = /[[(](?:IPv6:)?((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)[\])]/g;

/**
 * The relay's address in a Received field: of the addresses written in brackets or
 * parentheses, the second if there are several, else the first (Zeek's
 * find_address_in_smtp_header); null if none.
 */
export function receivedAddress(v: string): string | null {
  const ips: string[] = [];
  for (const m of v.matchAll(WRAPPED_IP_RE)) {
    const ip = m[1];
    if (ip.includes('.') && !ip.includes(':') && ip.split('.').some((o) => Number(o) > 255)) continue;
    ips.push(ip.toLowerCase());
    if (ips.length >= 2) break;
  }
  if (ips.length === 0) return null;
  return ips.length > 1 ? ips[1] : ips[0];
}

/** First IPv4 or IPv6 address in a text (X-Originating-IP). */
export function firstAddress(v: string): string | null {
  const m = /((?:\d{1,3}\.){3}\d{1,3})|([0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7})/.exec(v);
  return m === null ? null : (m[1] ?? m[2]).toLowerCase();
}
