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
