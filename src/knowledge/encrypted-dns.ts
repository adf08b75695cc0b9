// Encrypted DNS to resolvers outside the site: DNS over TLS (RFC 7858, TCP 853), over HTTPS
// (RFC 8484, an ordinary HTTPS connection to a resolver's web name), over QUIC (RFC 9250, ALPN
// "doq", UDP 853) and DNSCrypt. A host that resolves names this way passes around the site's
// resolvers: their logging, their filtering of malicious domains and their view of which
// devices look up what. Browsers and phones do it by default unless policy says otherwise, and
// malware does it to hide its lookups and its command channel (MITRE ATT&CK T1071.004, T1572).
//
// DNS over TLS and over QUIC are known by their port and ALPN. DNS over HTTPS looks like any
// HTTPS: it is known by the resolver's name in the TLS server name, from the public resolvers'
// own documentation of their endpoints (below), by a name whose first label says DoH ("doh",
// "doh2", "doh-2"), or by a TLS connection without a name to a public resolver's anycast
// address. A resolver run privately under an unrelated name is not recognised. DNSCrypt is known
// from the analyzer (the resolver magic) and from the certificate lookup that starts it (a TXT
// query for 2.dnscrypt-cert.<provider>).

/**
 * Names of public DoH/DoT endpoints, exactly: the large operators' own documentation, and the
 * public resolvers of community lists (the DNSCrypt project's public-resolvers, dnsprivacy.org's
 * DoT/DoH server lists), names as facts. A name that is also its owner's web site is left out.
 */
const HOSTS: ReadonlySet<string> = new Set([
  'dns.cloudflare.com',
  'one.one.one.one',
  '1dot1dot1dot1.cloudflare-dns.com',
  'doh.opendns.com',
  'doh.familyshield.opendns.com',
  'dns.opendns.com',
  'doh.umbrella.com',
  'dns.umbrella.com',
  'dns.adguard.com',
  'dns-family.adguard.com',
  'dns-unfiltered.adguard.com',
  'doh.mullvad.net',
  'dns.mullvad.net',
  'dns.controld.com',
  'freedns.controld.com',
  'dns.alidns.com',
  'doh.pub',
  'dot.pub',
  'doh.360.cn',
  'dot.360.cn',
  'dns.switch.ch',
  'dns.digitale-gesellschaft.ch',
  'dns.aa.net.uk',
  'odvr.nic.cz',
  'dns.twnic.tw',
  'dns.brahma.world',
  'dns.dnshome.de',
  'dns.njal.la',
  'dns1.dnscrypt.ca',
  'dns2.dnscrypt.ca',
  'dns.google.com',
  '8888.google',
  'family.adguard.com',
  'dot.xfinity.com',
  'dot.cox.net',
  'dot.quickline.ch',
  'public.dns.iij.jp',
  'dns.levonet.sk',
  'dnsnl.alekberg.net',
  'dnsse.alekberg.net',
  'dnses.alekberg.net',
  'ibksturm.synology.me',
  'rdns.faelix.net',
  'resolver-eu.lelux.fi',
  'jp.tiar.app',
  'jp.tiarap.org',
  'jarjar.meganerd.nl',
  'dns.oszx.co',
  'dns.pumplex.com',
  'dns.decloudus.com',
  'dnsforge.de',
  'kaitain.restena.lu',
  'dnspub.restena.lu',
  'getdnsapi.net',
  'dnsovertls.sinodun.com',
  'dnsovertls1.sinodun.com',
  'unicast.censurfridns.dk',
  'anycast.censurfridns.dk',
  'dns.cmrg.net',
  'dns.larsdebruin.net',
  'dns-tls.bitwiseshift.net',
  'ns1.dnsprivacy.at',
  'ns2.dnsprivacy.at',
  'dns.hostux.net',
  'adblock.mydns.network',
  'dns.flatuslifir.is',
  'dns.neutopia.org',
  'dnsotls.lab.nic.cl',
  'fdns1.dismail.de',
  'fdns2.dismail.de',
  'dot-de.blahdns.com',
  'dot-jp.blahdns.com',
  'dot-fi.blahdns.com',
  'ns0.fdn.fr',
  'ns1.fdn.fr',
  'dot1.dnswarden.com',
  'dot2.dnswarden.com',
  'iana.tenta.io',
  'opennic.tenta.io',
  'privacydns.go6lab.si',
  'dns.bebasid.com',
  'adfree.usableprivacy.net',
  'ordns.he.net',
]);

/** Domains that exist to serve DNS: any name at or below one is a resolver endpoint. */
const DOMAINS: readonly string[] = [
  'dns.google',
  'cloudflare-dns.com',
  'dns.nextdns.io',
  'adguard-dns.com',
  'dns.mullvad.net',
];

/** quad9.net also hosts its web site: only the resolver names count there. */
const QUAD9 = /^dns\d*(?:-\w+)?\.quad9\.net$/;

/** A first label that says DNS over HTTPS: doh, doh2, doh-2, doh-jp, odoh … */
const DOH_LABEL = /^o?doh(?:\d+|-[a-z0-9]+)?$/;

/**
 * Government names, where "doh" is a Department of Health (doh.wa.gov, doh.state.fl.us,
 * doh.gov.ph), the very sites a hospital visits: the label heuristic does not apply below them.
 */
const GOVERNMENT = /(?:^|\.)(?:gov|mil|gouv|gob|govt|go)(?:\.[a-z]{2})?$|\.[a-z]{2}\.us$/;

/**
 * Anycast addresses of public resolvers that answer DNS over HTTPS and TLS on them (the
 * operators' documentation): a TLS connection to one of these on 443 without a server name is
 * DNS over HTTPS (https://1.1.1.1/dns-query, https://8.8.8.8/dns-query …).
 */
const RESOLVER_ADDRS: ReadonlyMap<string, string> = new Map([
  ['1.1.1.1', 'Cloudflare'],
  ['1.0.0.1', 'Cloudflare'],
  ['1.1.1.2', 'Cloudflare'],
  ['1.0.0.2', 'Cloudflare'],
  ['1.1.1.3', 'Cloudflare'],
  ['1.0.0.3', 'Cloudflare'],
  ['2606:4700:4700::1111', 'Cloudflare'],
  ['2606:4700:4700::1001', 'Cloudflare'],
  ['8.8.8.8', 'Google'],
  ['8.8.4.4', 'Google'],
  ['2001:4860:4860::8888', 'Google'],
  ['2001:4860:4860::8844', 'Google'],
  ['9.9.9.9', 'Quad9'],
  ['149.112.112.112', 'Quad9'],
  ['9.9.9.10', 'Quad9'],
  ['9.9.9.11', 'Quad9'],
  ['2620:fe::fe', 'Quad9'],
  ['2620:fe::9', 'Quad9'],
  ['208.67.222.222', 'OpenDNS'],
  ['208.67.220.220', 'OpenDNS'],
  ['94.140.14.14', 'AdGuard'],
  ['94.140.15.15', 'AdGuard'],
  ['45.90.28.0', 'NextDNS'],
  ['45.90.30.0', 'NextDNS'],
]);

/** DNS over TLS's port (RFC 7858) and DNS over QUIC's (RFC 9250). */
export const DOT_PORT = 853;
/** DNS over QUIC: RFC 9250's port, and 784 and 8853 of its drafts (AdGuard still answers on 784). */
export const DOQ_PORTS: readonly number[] = [853, 784, 8853];

/** ALPN of DNS over QUIC: "doq", and "doq-i00" … of the drafts. */
function isDoq(a: string): boolean {
  return a === 'doq' || a.startsWith('doq-');
}

/** The DNSCrypt certificate lookup's query name starts so (dnscrypt.info, "Protocol"). */
const DNSCRYPT_CERT = /^2\.dnscrypt-cert\./i;

/** True when a TLS server name is a public DNS-over-HTTPS/TLS resolver's. */
export function dohHost(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (HOSTS.has(n) || QUAD9.test(n)) return true;
  for (const d of DOMAINS) {
    if (n === d || n.endsWith(`.${d}`)) return !n.startsWith('www.');
  }
  if (GOVERNMENT.test(n)) return false;
  const dot = n.indexOf('.');
  // A first label that says DoH, on a name with a domain under it (doh.example.org, not "doh").
  if (dot > 0 && n.indexOf('.', dot + 1) > 0 && DOH_LABEL.test(n.slice(0, dot))) return true;
  // Or such a label further down (fi.doh.dns.snopyta.org).
  return /\.o?doh\d*\./.test(n);
}

/** The operator of a public resolver address, or null. */
export function publicResolver(addr: string): string | null {
  return RESOLVER_ADDRS.get(addr) ?? null;
}

/** What an analyzer event shows of encrypted DNS, and which side is the client. */
export interface EncryptedDnsSign {
  protocol: 'DNS over TLS' | 'DNS over HTTPS' | 'DNS over QUIC' | 'DNSCrypt';
  /** "TLS to dns.google on port 853" … */
  what: string;
  /** The evidence's protocol field. */
  source: string;
}

/**
 * The encrypted DNS an event shows, if any: the originator of its connection is the client, the
 * responder the resolver. `respAddr` and `rPort` are the connection's responder and its port.
 * Shared by the assessment (encrypted-dns finding) and the monitor (alert).
 */
export function encryptedDnsSign(ev: { type: string; [k: string]: unknown }, respAddr: string, rPort: number): EncryptedDnsSign | null {
  switch (ev.type) {
    case 'ssl.client_hello': {
      const name = typeof ev.server_name === 'string' ? ev.server_name : '';
      const alpn = Array.isArray(ev.alpn) ? (ev.alpn as string[]) : [];
      const to = name !== '' ? `${name} (${respAddr})` : respAddr;
      // QUIC's own ClientHello reaches ssl.log too: DNS over QUIC says so in its ALPN.
      if (alpn.some(isDoq)) return { protocol: 'DNS over QUIC', what: `QUIC to ${to} on port ${rPort} offering ALPN ${alpn.join(',')}`, source: 'ssl.alpn' };
      if (rPort === DOT_PORT || alpn.includes('dot')) return { protocol: 'DNS over TLS', what: `TLS to ${to} on port ${rPort}${alpn.includes('dot') ? ' offering ALPN "dot"' : ''}`, source: name !== '' ? 'ssl.server_name' : 'conn.id.resp_p' };
      if (name !== '' && dohHost(name)) return { protocol: 'DNS over HTTPS', what: `HTTPS to the resolver ${to} on port ${rPort}`, source: 'ssl.server_name' };
      const op = name === '' && rPort === 443 ? publicResolver(respAddr) : null;
      if (op !== null) return { protocol: 'DNS over HTTPS', what: `HTTPS without a server name to ${op}'s public resolver ${respAddr}`, source: 'conn.id.resp_h' };
      return null;
    }
    case 'quic.session': {
      const name = typeof ev.server_name === 'string' ? ev.server_name : '';
      const alpn = Array.isArray(ev.client_protocol) ? (ev.client_protocol as string[]) : typeof ev.client_protocol === 'string' ? [ev.client_protocol] : [];
      const to = name !== '' ? `${name} (${respAddr})` : respAddr;
      if (alpn.some(isDoq) || DOQ_PORTS.includes(rPort)) return { protocol: 'DNS over QUIC', what: `QUIC to ${to} on port ${rPort}${alpn.length > 0 ? ` offering ALPN ${alpn.join(',')}` : ''}`, source: alpn.length > 0 ? 'quic.client_protocol' : 'conn.id.resp_p' };
      if (name !== '' && dohHost(name)) return { protocol: 'DNS over HTTPS', what: `HTTP/3 to the resolver ${to} on port ${rPort}`, source: 'quic.server_name' };
      return null;
    }
    case 'dns.transaction': {
      // Every DNS transaction passes here: a test without a lower-cased copy of the name.
      const q = typeof ev.query === 'string' ? ev.query : '';
      if (!DNSCRYPT_CERT.test(q) || ev.netbios === true) return null;
      return { protocol: 'DNSCrypt', what: `asked ${respAddr} on port ${rPort} for its DNSCrypt certificate (${q})`, source: 'dns.query' };
    }
    case 'dnscrypt.session':
      return { protocol: 'DNSCrypt', what: `exchanged ${String(ev.queries)} encrypted ${ev.queries === 1 ? 'query' : 'queries'} with the DNSCrypt resolver ${respAddr} on port ${rPort}`, source: 'dnscrypt.responses' };
    default:
      return null;
  }
}
