// Remote-access and remote-support tools (the vendors' own products), recognised from what their
// clients reach and present: the service host names in a TLS server name or an HTTP Host (each
// vendor's firewall allow-list documentation names them), and the certificate a tool presents.
// Vendor support tools installed on medical devices and unmanaged remote access are a common way
// in (CISA AA23-025A: malicious use of legitimate remote monitoring and management software).

/** Registrable domains of a tool's service: any name below one (but `www.`, the web site) counts. */
const DOMAINS: ReadonlyMap<string, string> = new Map([
  ['teamviewer.com', 'TeamViewer'],
  ['anydesk.com', 'AnyDesk'],
  ['logmein.com', 'LogMeIn'],
  ['logme.in', 'LogMeIn'],
  ['logmeinrescue.com', 'LogMeIn Rescue'],
  ['gotoassist.com', 'GoTo Assist'],
  ['splashtop.com', 'Splashtop'],
  ['screenconnect.com', 'ConnectWise ScreenConnect'],
  ['bomgar.com', 'BeyondTrust Remote Support'],
  ['bomgarcloud.com', 'BeyondTrust Remote Support'],
  ['beyondtrustcloud.com', 'BeyondTrust Remote Support'],
  ['rustdesk.com', 'RustDesk'],
  ['remotepc.com', 'RemotePC'],
  ['zohoassist.com', 'Zoho Assist'],
  ['ammyy.com', 'Ammyy Admin'],
  ['supremocontrol.com', 'Supremo'],
  ['dwservice.net', 'DWService'],
  ['getscreen.me', 'Getscreen.me'],
  ['ninjarmm.com', 'NinjaOne RMM'],
  ['centrastage.net', 'Datto RMM'],
  ['atera.com', 'Atera RMM'],
]);

/** Host names that only a tool's client uses (their domain is shared with other services). */
const HOSTS: ReadonlyMap<string, string> = new Map([
  ['remotedesktop.google.com', 'Chrome Remote Desktop'],
  ['remotedesktop-pa.googleapis.com', 'Chrome Remote Desktop'],
  ['assist.zoho.com', 'Zoho Assist'],
]);

/** Certificate subjects a tool presents itself (AnyDesk's self-signed peer certificate). */
const CERT_SUBJECTS: readonly (readonly [RegExp, string])[] = [[/^CN=AnyDesk Client$/, 'AnyDesk']];

/** The anonymizing network (remoteAccessSign's product that is neither a vendor's service nor a VPN). */
export const TOR = 'Tor';

/** What Tor means for a device, in the finding's and the alert's words. */
export const TOR_MEANING =
  'its traffic leaves the site through relays that hide where it goes — the way malware reaches its controllers and data is taken out unseen — and an onion service on the device would be reachable from anywhere, past the firewall';

/**
 * Tor's link TLS (tor's tortls.c: crypto_random_hostname): a client names a random host
 * "www.<4–25 base32 characters>.com" as its server name and offers no ALPN (browsers and
 * applications always do); a relay's link certificate is "CN=www.<8–20>.net" issued by
 * "CN=www.<8–20>.com", both random, nothing else in either name. A random name has digits 2–7
 * or runs of consonants registered names rarely have. With TLS 1.3 (Tor 0.4) the certificates
 * travel encrypted and the server name alone shows: a client that names such a host and offers
 * no ALPN; a real site so named, reached by a program without ALPN, would be taken for Tor.
 */
const TOR_SNI = /^www\.([a-z2-7]{4,25})\.com$/;
const TOR_CERT_SUBJECT = /^CN=www\.([a-z2-7]{8,20})\.net$/;
const TOR_CERT_ISSUER = /^CN=www\.([a-z2-7]{8,20})\.com$/;

function randomLabel(label: string): boolean {
  // Two digits, or one in a long label (a registered name has a digit or two in a short word:
  // dota2, web2, 4chan), or a run of five consonants.
  const digits = label.replace(/[^2-7]/g, '').length;
  if (digits >= 2 || (digits === 1 && label.length >= 10)) return true;
  let run = 0;
  for (const ch of label) {
    run = 'aeiouy'.includes(ch) ? 0 : run + 1;
    if (run >= 5) return true;
  }
  return false;
}

/** A ClientHello's server name and ALPN as Tor's link handshake sends them. */
export function torClientHello(serverName: string, alpn: readonly string[]): boolean {
  const m = TOR_SNI.exec(serverName);
  return m !== null && alpn.length === 0 && randomLabel(m[1]);
}

/** A server certificate's subject and issuer as a Tor relay's link certificate has them. */
export function torLinkCertificate(subject: string, issuer: string): boolean {
  const s = TOR_CERT_SUBJECT.exec(subject);
  const i = TOR_CERT_ISSUER.exec(issuer);
  return s !== null && i !== null && s[1] !== i[1] && (randomLabel(s[1]) || randomLabel(i[1]));
}

/** VPN tunnels (remoteAccessSign's products that are a network path, not a vendor's service). */
export const TUNNEL_PRODUCTS: ReadonlySet<string> = new Set(['OpenVPN', 'WireGuard', 'IPsec', 'PPTP']);

/** The tool a service name belongs to, or null. */
export function remoteAccessHost(name: string): string | null {
  let n = name.toLowerCase();
  if (n.endsWith('.')) n = n.slice(0, -1);
  const exact = HOSTS.get(n);
  if (exact !== undefined) return exact;
  for (let i = n.indexOf('.'); i >= 0; i = n.indexOf('.', i + 1)) {
    const product = DOMAINS.get(n.slice(i + 1));
    if (product !== undefined) return n.slice(0, i) === 'www' ? null : product;
  }
  return null;
}

/** The tool a certificate subject names, or null. */
export function remoteAccessCertificate(subject: string): string | null {
  for (const [re, product] of CERT_SUBJECTS) if (re.test(subject)) return product;
  return null;
}

/** What an analyzer event says about a remote-access tool, and which side of its connection runs it. */
export interface RemoteAccessSign {
  product: string;
  /** "reached router3.teamviewer.com", "presented the certificate CN=AnyDesk Client" … */
  what: string;
  /** The evidence's protocol field. */
  source: string;
  /** The connection's originator runs the tool (true) or its responder (a server certificate). */
  orig: boolean;
}

/**
 * The remote-access tool an event shows, if any: a TLS server name or HTTP Host the client
 * reached, a certificate the tool presented, TeamViewer's own protocol, or a VPN tunnel the
 * host opened (OpenVPN, WireGuard: the far end's network reaches the host through it). Shared by the
 * inventory (software), the assessment (remote-access finding) and the monitor (alert).
 */
export function remoteAccessSign(ev: { type: string; [k: string]: unknown }, rPort = 0): RemoteAccessSign | null {
  switch (ev.type) {
    case 'ssl.client_hello': {
      const name = typeof ev.server_name === 'string' ? ev.server_name : '';
      const product = name === '' ? null : remoteAccessHost(name);
      if (product === null && name !== '' && torClientHello(name, Array.isArray(ev.alpn) ? (ev.alpn as string[]) : [])) {
        return { product: TOR, what: `opened a Tor link: TLS to port ${rPort} naming the random host ${name}, without ALPN`, source: 'ssl.server_name', orig: ev.is_orig !== false };
      }
      return product === null ? null : { product, what: `reached ${name}`, source: 'ssl.server_name', orig: ev.is_orig !== false };
    }
    case 'http.transaction': {
      const host = typeof ev.host === 'string' ? ev.host : '';
      const product = host === '' ? null : remoteAccessHost(host.replace(/:\d+$/, ''));
      return product === null ? null : { product, what: `reached ${host}`, source: 'http.host', orig: true };
    }
    case 'ssl.certificate': {
      if (ev.index !== 0) return null;
      const cert = (ev.cert ?? {}) as Record<string, unknown>;
      const subject = String(cert.subject ?? '');
      if (ev.client_cert !== true && torLinkCertificate(subject, String(cert.issuer ?? ''))) {
        // The relay's link certificate: the client is the host running Tor.
        return { product: TOR, what: `connected to a Tor relay on port ${rPort} (link certificate ${subject} issued by ${String(cert.issuer)})`, source: 'x509.subject', orig: true };
      }
      const product = subject === '' ? null : remoteAccessCertificate(subject);
      if (product === null) return null;
      const client = ev.client_cert === true;
      return { product, what: `presented the certificate ${subject}`, source: client ? 'x509.client_subject' : 'x509.subject', orig: client };
    }
    case 'teamviewer.session':
      return { product: 'TeamViewer', what: `spoke TeamViewer's protocol to port ${rPort}`, source: 'teamviewer.magic', orig: true };
    case 'openvpn.session':
    case 'wireguard.session': {
      // The originator opened the tunnel (its hard reset or handshake initiation); a flow caught
      // mid-way without either still shows a tunnel, but not who opened it.
      const openvpn = ev.type === 'openvpn.session';
      const opened = openvpn ? Number(ev.client_resets) > 0 : Number(ev.initiations) > 0;
      if (!opened && ev.established !== true) return null;
      const product = openvpn ? 'OpenVPN' : 'WireGuard';
      const how = openvpn && typeof ev.mode === 'string' ? ` (${ev.mode}${typeof ev.hmac === 'string' ? ` ${ev.hmac}` : ''})` : '';
      const what = `${ev.established === true ? 'opened' : 'tried to open'} ${openvpn ? 'an' : 'a'} ${product} tunnel${how} to port ${rPort}${ev.established === true ? '' : ', which carried no traffic'}`;
      return { product, what, source: openvpn ? 'openvpn.mode' : 'wireguard.initiations', orig: true };
    }
    case 'ike.session': {
      // An IKE SA the originator started (its first message seen): an IPsec tunnel it set up.
      if (!Array.isArray(ev.exchanges) || !(ev.exchanges as string[]).some((x) => x === 'IKE_SA_INIT' || x === 'Main Mode' || x === 'Aggressive')) return null;
      const what = `${ev.answered === true ? 'negotiated' : 'tried to negotiate'} an IPsec tunnel (IKEv${String(ev.version ?? '').slice(0, 1)}${ev.aggressive === true ? ' Aggressive Mode' : ''}) on port ${rPort}`;
      return { product: 'IPsec', what, source: 'ike.exchanges', orig: true };
    }
    case 'pptp.session': {
      const what = `${ev.established === true ? 'opened' : 'tried to open'} a PPTP tunnel to port ${rPort}`;
      return { product: 'PPTP', what, source: 'pptp.control_result', orig: true };
    }
    default:
      return null;
  }
}
