// What makes SSH weak, by algorithm name (RFC 4250 §4.11 registries and their successors):
// - protocol 1 (SSH-1.x banners; SSH-1.99 means the server takes both): CRC-32 integrity, session
//   key insertion attacks (CVE-2001-0144, CVE-2001-0572), deprecated since OpenSSH 7.0;
// - key exchange: RFC 9142 §4 — diffie-hellman-group1-sha1 (Oakley group 2, 1024 bits: Logjam's
//   precomputation reach) and rsa1024-sha1 must go; diffie-hellman-group-exchange-sha1 and the
//   SHA-1 GSS-API exchanges should not be used;
// - encryption: RFC 8758 — RC4 (arcfour, arcfour128, arcfour256) must not be used; none sends in
//   clear; DES; CBC modes (CVE-2008-5161: plaintext recovery from an SSH-2 CBC stream, OpenSSH
//   removed them from its defaults in 6.7), 3DES, Blowfish and CAST-128 (64-bit blocks:
//   Sweet32's birthday bound);
// - MACs: none; MD5 and the truncated 96-bit MACs (hmac-md5, hmac-md5-96, hmac-sha1-96; RFC 6668
//   and OpenSSH 7.2 dropped them from the defaults), RIPEMD-160;
// - host keys: ssh-dss (1024-bit DSA with SHA-1; OpenSSH 7.0 disabled it, RFC 9142's companion
//   RFC 8709 lists the replacements).
// `broken`: what alone lets whoever records the session read or forge it, or what the standards
// say MUST NOT be used; the rest is `weak`. Names are compared in lower case, with any
// @domain suffix kept (rijndael-cbc@lysator.liu.se is CBC).

export type SshAlgorithmKind = 'kex' | 'cipher' | 'mac' | 'host_key';

export interface SshAlgorithmWeakness {
  broken: boolean;
  why: string;
}

const KEX: Readonly<Record<string, SshAlgorithmWeakness>> = {
  'diffie-hellman-group1-sha1': { broken: true, why: "1024-bit Diffie-Hellman group with SHA-1, within Logjam's reach; RFC 9142 says not to use it" },
  'rsa1024-sha1': { broken: true, why: '1024-bit RSA key exchange, which RFC 9142 forbids' },
  'diffie-hellman-group-exchange-sha1': { broken: false, why: 'group exchange with SHA-1, which RFC 9142 says not to use' },
};

/** Weakness of one algorithm name of a kind, or null when it is not weak. */
export function sshAlgorithmWeakness(kind: SshAlgorithmKind, name: string): SshAlgorithmWeakness | null {
  const n = name.toLowerCase();
  switch (kind) {
    case 'kex':
      if (KEX[n] !== undefined) return KEX[n];
      if (/^gss-(group1|gex)-sha1-/.test(n)) return { broken: false, why: 'GSS-API key exchange with SHA-1, which RFC 9142 says not to use' };
      return null;
    case 'cipher':
      if (n === 'none') return { broken: true, why: 'no encryption' };
      if (n.startsWith('arcfour')) return { broken: true, why: 'RC4, which RFC 8758 forbids' };
      if (n === 'des-cbc' || n === 'des' || n.startsWith('des-cbc@')) return { broken: true, why: 'single DES, a 56-bit key' };
      if (n.startsWith('3des-')) return { broken: false, why: '3DES, 64-bit blocks: Sweet32' };
      if (n.startsWith('blowfish-') || n.startsWith('cast128-')) return { broken: false, why: 'a 64-bit block cipher: Sweet32' };
      if (/-cbc(@|$)/.test(n)) return { broken: false, why: 'CBC mode, open to plaintext recovery: CVE-2008-5161' };
      return null;
    case 'mac':
      if (n === 'none') return { broken: true, why: 'no integrity protection' };
      if (n.startsWith('hmac-md5')) return { broken: false, why: 'MD5 MAC' };
      if (n.startsWith('hmac-sha1-96')) return { broken: false, why: 'truncated 96-bit SHA-1 MAC' };
      if (n.startsWith('hmac-ripemd160')) return { broken: false, why: 'RIPEMD-160 MAC' };
      return null;
    case 'host_key':
      if (n === 'ssh-dss' || n.startsWith('ssh-dss-')) return { broken: false, why: '1024-bit DSA host key with SHA-1, disabled since OpenSSH 7.0' };
      return null;
  }
}

/** What an SSH identification's protocol version says: null for 2.0. */
export function sshProtocolWeakness(protoVersion: string): SshAlgorithmWeakness | null {
  if (protoVersion === '1.99') return { broken: false, why: 'accepts protocol 1 too (SSH-1.99)' };
  if (protoVersion.startsWith('1.')) return { broken: true, why: `speaks protocol 1 only (SSH-${protoVersion}: CRC-32 integrity, session key attacks)` };
  return null;
}
