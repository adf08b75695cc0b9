// HASSH fingerprints (salesforce/hassh README): md5 of "kex;encryption;mac;compression" from the
// client's KEXINIT (client-to-server lists) and from the server's (server-to-client lists).
// Algorithm negotiation as RFC 4253 §7.1 and Zeek's ssh/main.zeek pick it. And which algorithms
// the RFCs retire, for the risk layer: RFC 8758 (arcfour), RFC 9142 (SHA-1 and 1024-bit key
// exchange), RFC 8332/OpenSSH 7.0 (ssh-dss), RFC 4253's own weak choices (none, DES, 3DES-CBC,
// MD5 and 96-bit MACs).
import { createHash } from 'node:crypto';
import type { KexInit } from './parse.js';

export function hasshString(k: KexInit): string {
  return [k.kex.join(','), k.encC2S.join(','), k.macC2S.join(','), k.cmpC2S.join(',')].join(';');
}

export function hasshServerString(k: KexInit): string {
  return [k.kex.join(','), k.encS2C.join(','), k.macS2C.join(','), k.cmpS2C.join(',')].join(';');
}

export function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** The first of the client's algorithms the server also offers (RFC 4253 §7.1). */
export function negotiate(client: string[], server: string[]): string {
  for (const c of client) if (server.includes(c)) return c;
  return 'Algorithm negotiation failed';
}

/** One name when both directions agree, else Zeek's "To server: …, to client: …". */
export function negotiateBoth(c2sClient: string[], c2sServer: string[], s2cClient: string[], s2cServer: string[]): string {
  const a = negotiate(c2sClient, c2sServer);
  const b = negotiate(s2cClient, s2cServer);
  return a === b ? a : `To server: ${a}, to client: ${b}`;
}

const WEAK = [
  /^none$/,
  /^arcfour/,
  /^(3des|des|blowfish|cast128|idea)-cbc$/,
  /^des(@ssh\.com)?$/,
  /^hmac-md5/,
  /-96(@|$)/,
  /^diffie-hellman-group1-sha1$/,
  /^diffie-hellman-group14-sha1$/,
  /^diffie-hellman-group-exchange-sha1$/,
  /^ssh-dss$/,
];

/** Algorithms in `names` that current RFCs retire or never recommended. */
export function weakAlgorithms(names: readonly string[]): string[] {
  return names.filter((n) => WEAK.some((w) => w.test(n)));
}
