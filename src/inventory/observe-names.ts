// Names: DNS answers and PTR records (RFC 1035 §3.3, RFC 1035 §3.5 in-addr.arpa), mDNS/DNS-SD
// announcements (RFC 6762/6763: host names, service types, TXT keys that name a model), LLMNR
// answers (RFC 4795), NetBIOS name registrations, answers and node status (RFC 1002 §4.2),
// NetBIOS datagram senders and browser host announcements (MS-BRWS §2.2.1).
import { ipIsHost, parseMacString } from './addr.js';
import { ipSubject, num, str, type ObserveCtx } from './observe-ctx.js';
import { browserClaim, browserIsDomainController } from './os-parse.js';

const DNS_TYPE_A = 1;
const DNS_TYPE_PTR = 12;
const DNS_TYPE_AAAA = 28;
const PORT_MDNS = 5353;
const PORT_LLMNR = 5355;
/** Answers per transaction used as name evidence (round-robin sets can be long). */
const MAX_ANSWERS = 4;
/** NetBIOS suffixes of a machine's own unique names: workstation and file server service. */
const NB_WORKSTATION = 0x00;
const NB_SERVER = 0x20;
/** Group name registered by domain controllers (MS-WPO "Domain Controllers <1C>"). */
const NB_DOMAIN_CONTROLLERS = 0x1c;

/** "4.3.2.1.in-addr.arpa" → "1.2.3.4"; null for anything else. */
export function ptrAddress(q: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.?$/i.exec(q);
  if (m === null) return null;
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  return ipIsHost(ip) ? ip : null;
}

export function hostnameValue(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

const DNS_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

/**
 * Whether `v` is a DNS-style host name as devices state them in protocol fields: labels of
 * letters, digits and hyphens (RFC 1123 §2.1; underscores tolerated, as Windows and voice gear
 * use them), at least one letter so that no number or address passes, a trailing dot allowed.
 * With `qualified`, a dotted name ending in an alphabetic top-level label: for names inside URLs,
 * where a bare word or a test name says little.
 */
export function isDnsName(v: string, qualified = false): boolean {
  const name = v.endsWith('.') ? v.slice(0, -1) : v;
  if (name.length === 0 || name.length > 253 || !/[A-Za-z]/.test(name)) return false;
  const labels = name.split('.');
  if (!labels.every((l) => DNS_LABEL.test(l))) return false;
  return !qualified || (labels.length >= 2 && /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]));
}

/** A host name a device states in a protocol field, unless the field holds an address instead. */
export function hostnameField(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '' || /^[\d.]+$/.test(v) || v.includes(':')) return undefined;
  return hostnameValue(v);
}

export function dnsTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  const c = x.c;
  if (ev.netbios === true || c === null) return;
  const answers = ev.answers;
  const query = ev.query;
  if (!Array.isArray(answers) || answers.length === 0 || typeof query !== 'string' || query === '') return;
  const qtype = ev.qtype;
  const multicastName = c.rPort === PORT_MDNS || c.oPort === PORT_MDNS ? 'mdns' : c.rPort === PORT_LLMNR || c.oPort === PORT_LLMNR ? 'llmnr' : null;
  const links = x.links;
  if (qtype === DNS_TYPE_A || qtype === DNS_TYPE_AAAA) {
    const n = Math.min(answers.length, MAX_ANSWERS);
    for (let i = 0; i < n; i++) {
      const a = answers[i];
      if (typeof a !== 'string') continue;
      // What others' resolvers say names remote servers: kept aside, a fact only if it becomes a device.
      if (multicastName === null) links.addDnsName(a, hostnameValue(query), 'dns.answer', x.file, x.packet, x.ts);
      else x.addText(ipSubject(a), 'hostname', `${multicastName}.answer`, hostnameValue(query));
    }
  } else if (qtype === DNS_TYPE_PTR) {
    const ip = ptrAddress(query);
    if (ip === null) return;
    const a = answers[0];
    if (typeof a !== 'string' || a === '') return;
    if (multicastName === null) links.addDnsName(ip, hostnameValue(a), 'dns.ptr', x.file, x.packet, x.ts);
    else x.addText(ipSubject(ip), 'hostname', `${multicastName}.ptr`, hostnameValue(a));
  }
}

/** TXT keys that name what a DNS-SD service runs on (Bonjour printing, AirPlay, Cast). */
const TXT_FACTS: Record<string, string> = {
  ty: 'model',
  product: 'model',
  usb_mdl: 'model',
  model: 'model',
  md: 'model',
  usb_mfg: 'manufacturer',
  manufacturer: 'manufacturer',
};

export function mdnsRecords(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null || ev.is_response !== true) return;
  if (Array.isArray(ev.hostnames)) for (const h of ev.hostnames) if (typeof h === 'string') x.add(subject, { fact: 'hostname', value: hostnameValue(h), source: 'mdns.hostname' });
  if (Array.isArray(ev.addrs)) {
    const addrs = ev.addrs as { name?: unknown; addr?: unknown }[];
    // The names whose address records include the sender's own address are the sender's: their
    // other A/AAAA records are its other addresses (a Mac announces its IPv4 and link-local IPv6
    // address together), so they are bound to its MAC. A responder answering for another host
    // (a sleep proxy) does not list its own address under that host's name.
    const mac = x.c !== null && x.c.origMac !== 0 && x.origIp() === ev.host ? x.c.origMac : 0;
    let own: string[] | null = null;
    if (mac !== 0) for (const a of addrs) if (typeof a?.name === 'string' && a.addr === ev.host) (own ??= []).push(a.name.toLowerCase());
    for (const a of addrs) {
      if (typeof a?.name === 'string' && typeof a.addr === 'string' && a.addr !== ev.host) {
        x.add(ipSubject(a.addr), { fact: 'hostname', value: hostnameValue(a.name), source: 'mdns.address' });
        if (own !== null && own.includes(a.name.toLowerCase())) x.links.addBinding(a.addr, mac, 'mdns.address');
      }
    }
  }
  if (Array.isArray(ev.service_types)) {
    for (const t of ev.service_types) if (typeof t === 'string') x.add(subject, { fact: 'service_type', value: hostnameValue(t).toLowerCase(), source: 'mdns.service_type' });
  }
  if (Array.isArray(ev.txt)) {
    for (const t of ev.txt as { keys?: Record<string, unknown> }[]) {
      const keys = t?.keys;
      if (keys === undefined || keys === null) continue;
      for (const [k, v] of Object.entries(keys)) {
        const fact = TXT_FACTS[k.toLowerCase()];
        if (fact !== undefined && typeof v === 'string') x.addText(subject, fact, `mdns.txt.${k.toLowerCase()}`, v.replace(/^\((.*)\)$/, '$1'));
      }
    }
  }
}

function ownName(name: string, suffix: number): boolean {
  return (suffix === NB_WORKSTATION || suffix === NB_SERVER) && name !== '' && !name.startsWith('*') && !name.startsWith('__MSBROWSE__');
}

export function nbnsName(x: ObserveCtx): void {
  const ev = x.ev;
  const name = str(ev.name)?.trim();
  const suffix = num(ev.suffix) ?? -1;
  if (name === undefined || name === '') return;
  const op = String(ev.opcode_name ?? '');
  const sender = ipSubject(ev.host);
  if (ev.is_response !== true && (op === 'netbios-registration' || op === 'netbios-refresh')) {
    const subject = ipSubject(str(ev.addr) ?? ev.host) ?? sender;
    if (ev.group === true) {
      if (suffix === NB_DOMAIN_CONTROLLERS) x.add(subject, { fact: 'role', value: 'domain-controller', source: 'nbns.registration' });
      else if (suffix === NB_WORKSTATION) x.add(subject, { fact: 'workgroup', value: name, source: 'nbns.registration' });
    } else if (ownName(name, suffix)) {
      x.add(subject, { fact: 'hostname', value: name, source: 'nbns.registration' });
    }
    return;
  }
  if (ev.is_response !== true) return;
  const addr = str(ev.addr);
  if (addr !== undefined && ev.group !== true && ownName(name, suffix)) {
    x.add(ipSubject(addr), { fact: 'hostname', value: name, source: 'nbns.answer', self: addr === ev.host });
  }
  if (Array.isArray(ev.status_names) && sender !== null) {
    const first = ev.status_names.find((n): n is string => typeof n === 'string' && n !== '' && !n.startsWith('__MSBROWSE__'));
    if (first !== undefined) x.add(sender, { fact: 'hostname', value: first.trim(), source: 'nbns.node_status' });
    const mac = str(ev.mac);
    if (mac !== undefined && typeof ev.host === 'string') {
      const n = parseMacString(mac);
      if (n > 0) x.links.addBinding(ev.host, n, 'nbns.node_status');
    }
  }
}

export function netbiosDatagram(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  const sname = str(ev.source_name)?.trim();
  if (sname !== undefined && ownName(sname, num(ev.source_suffix) ?? -1)) x.add(subject, { fact: 'hostname', value: sname, source: 'nbdgm.source_name' });
  const server = str(ev.server_name)?.trim();
  if (ev.browser_opcode === 'DomainAnnouncement') {
    // MS-BRWS §2.2.7: a local master browser announcing its machine group. The name field is the
    // workgroup or domain, the comment field the master browser's (the sender's) own name, the
    // version bytes are the browser configuration's (not the OS's: Windows 7 sends 3.10 there)
    // and the server type is the group's.
    if (server !== undefined && server !== '') x.add(subject, { fact: 'workgroup', value: server, source: 'browser.machine_group' });
    const master = str(ev.comment)?.trim();
    if (master !== undefined && master !== '' && sname !== undefined && master.toUpperCase() === sname.toUpperCase()) x.add(subject, { fact: 'hostname', value: master, source: 'browser.master_browser' });
    return;
  }
  if (server !== undefined && server !== '') x.add(subject, { fact: 'hostname', value: server, source: 'browser.server_name' });
  const major = num(ev.os_major);
  const minor = num(ev.os_minor);
  const type = num(ev.server_type);
  if (type !== undefined) {
    x.add(subject, { fact: 'server_type', value: `0x${type.toString(16).padStart(8, '0')}`, source: 'browser.server_type' });
    if (browserIsDomainController(type)) x.add(subject, { fact: 'role', value: 'domain-controller', source: 'browser.server_type' });
    if (major !== undefined && minor !== undefined) {
      const os = browserClaim(major, minor, type);
      if (os !== null) x.add(subject, { fact: 'os', value: `${major}.${minor}`, source: 'browser.os_version', os });
    }
  }
  x.addText(subject, 'description', 'browser.comment', ev.comment);
}
