// Link-layer and address-assignment events: ARP bindings (RFC 826), DHCP (RFC 2131/2132: client
// identity, option 55/60/12/81 fingerprint, leases, default routers), DHCPv6 (RFC 8415), LLDP
// (IEEE 802.1AB, LLDP-MED inventory TLVs), CDP neighbours, PROFINET DCP (IEC 61158-6-10 §4.3:
// a station's Identify response or Hello states its name, type, PI vendor/device id, role and IP
// parameter) and PROFINET real-time frames (the sender speaks PROFINET IO), and RADIUS (RFC 2865: the NAS
// reports the MAC that authenticated, its machine name and the address it was given), 802.11
// management frames (access points, the networks stations join, WPS device identity), and CAPWAP
// control (RFC 5415: lightweight access points and their wireless controllers).
import { ipIsHost, parseMacString } from './addr.js';
import { formatMac } from '../decode/packet.js';
import { ipSubject, macInfo, macSubject, num, str, type ObserveCtx } from './observe-ctx.js';
import { hostnameField } from './observe-names.js';
import { systemDescriptionClaim, vendorClassClaim } from './os-parse.js';

const SATORI_DHCP_TYPE: Record<string, string> = {
  DISCOVER: 'Discover',
  OFFER: 'Offer',
  REQUEST: 'Request',
  DECLINE: 'Decline',
  ACK: 'ACK',
  NAK: 'NAK',
  RELEASE: 'Release',
  INFORM: 'Inform',
};

/** Zeek-style upper-case DHCPv6 message type → Satori's spelling ("Information-request"). */
function satoriDhcp6Type(t: string): string {
  return t.length === 0 ? t : t[0].toUpperCase() + t.slice(1).toLowerCase();
}

export function arpBinding(x: ObserveCtx): void {
  const ev = x.ev;
  const ip = ev.ip;
  const mac = ev.mac;
  if (typeof ip !== 'string' || typeof mac !== 'string') return;
  const m = macInfo(mac);
  if (m.subject === null || ipSubject(ip) === null) return;
  const source = ev.source === 'arp.reply' ? 'arp.reply' : 'arp.request';
  x.links.addBinding(ip, m.mac, source);
  x.addText(m.subject, 'ip', source, ip);
}

const ND_SOURCES: ReadonlySet<string> = new Set(['ndp.rs', 'ndp.ra', 'ndp.ns', 'ndp.na']);

/** An IPv6 address's link-layer address from Neighbor Discovery (RFC 4861 §4.6.1): ARP's counterpart. */
export function ndpBinding(x: ObserveCtx): void {
  const ev = x.ev;
  const ip = ev.ip;
  const mac = ev.mac;
  const source = String(ev.source);
  if (typeof ip !== 'string' || typeof mac !== 'string' || !ND_SOURCES.has(source)) return;
  const m = macInfo(mac);
  if (m.subject === null || ipSubject(ip) === null) return;
  x.links.addBinding(ip, m.mac, source);
  x.addText(m.subject, 'ip', source, ip);
}

/**
 * A router advertisement a host would accept (hop limit 255, link-local source: RFC 4861 §6.1.2)
 * comes from a router of the link (or from something posing as one: the monitor's rogue-router).
 */
export function ndpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (ev.msg_type !== 'router_advertisement' || ev.bad !== undefined || ev.tunneled === true) return;
  const subject = macSubject(str(ev.lladdr) ?? ev.mac_src);
  if (subject !== null) x.add(subject, { fact: 'role', value: 'ipv6-router', source: 'ndp.ra' });
}

/**
 * A VRRP advertisement a router would accept: its sender is the master of a virtual router, and
 * its source address is the sending interface's own primary address (RFC 5798 §5.1.1.1).
 */
export function vrrpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (ev.bad !== undefined || ev.tunneled === true || typeof ev.router !== 'string' || typeof ev.mac_src !== 'string') return;
  const m = macInfo(ev.mac_src);
  if (m.subject === null) return;
  x.add(m.subject, { fact: 'role', value: 'router', source: 'vrrp.advertisement' });
  if (ipSubject(ev.router) === null) return;
  x.links.addBinding(ev.router, m.mac, 'vrrp.advertisement');
  x.addText(m.subject, 'ip', 'vrrp.advertisement', ev.router);
}

/** An HSRP message: its sender is a router of a redundant gateway group. */
export function hsrpMessage(x: ObserveCtx): void {
  const subject = macSubject(str(x.ev.mac_src));
  if (subject !== null) x.add(subject, { fact: 'role', value: 'router', source: 'hsrp.group' });
}

/** A Spanning Tree BPDU: the port that sent it belongs to a bridge. */
export function stpBpdu(x: ObserveCtx): void {
  const subject = macSubject(str(x.ev.mac_src));
  if (subject !== null) x.add(subject, { fact: 'role', value: 'stp-bridge', source: 'stp.bpdu' });
}

/**
 * A DTP advertisement: switch ports in a dynamic mode send them (Cisco's, from the port's MAC).
 * An attacker asking for a trunk sends them too, so the role alone makes no switch: the rules
 * want a Cisco MAC beside it, and the monitor judges the sender (switch-spoofing).
 */
export function dtpMessage(x: ObserveCtx): void {
  const subject = macSubject(str(x.ev.mac_src));
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'dtp', source: 'dtp' });
  x.add(subject, { fact: 'role', value: 'dtp-port', source: 'dtp.trunk_mode' });
}

/** A Windows machine account in an EAP identity (802.1X machine authentication): "host/<name>". */
const EAP_MACHINE = /^host\/([^\s/@]+)$/i;

/**
 * An 802.1X EAPOL frame: the supplicant (Start, Logoff, EAP responses) is a device asking for its
 * port, and a machine account in its identity names it; the authenticator (EAP requests and the
 * verdict) is the switch port or access point that enforces the port's access.
 */
export function eapolMessage(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = macSubject(str(ev.mac_src));
  if (subject === null) return;
  const code = ev.eap_code;
  if (code === 'request' || code === 'success' || code === 'failure') {
    x.add(subject, { fact: 'role', value: '8021x-authenticator', source: `eapol.${String(code)}` });
    return;
  }
  // EAPOL-Key frames (the WPA handshake, both ends) say nothing of who is the supplicant.
  if (code !== 'response' && ev.eapol_type !== 'start' && ev.eapol_type !== 'logoff') return;
  x.add(subject, { fact: 'role', value: '8021x-supplicant', source: `eapol.${String(code ?? ev.eapol_type)}` });
  const id = str(ev.identity);
  const h = id === undefined ? null : EAP_MACHINE.exec(id);
  if (h !== null) x.addText(subject, 'hostname', 'eapol.identity', h[1]);
  // EAP-TLS: the device's own certificate, its common name a machine account or the device's name.
  const cn = str(ev.cert_cn);
  if (cn !== undefined) {
    const c = EAP_MACHINE.exec(cn);
    x.addText(subject, 'hostname', 'eapol.cert_cn', c !== null ? c[1] : /^[a-z0-9][a-z0-9.-]*$/i.test(cn) ? cn : undefined);
  }
}

/**
 * Groups only routers join: all-routers (224.0.0.2, ff02::2, ff05::2), OSPF, RIP, EIGRP, PIM,
 * VRRP, HSRPv2/GLBP, and MLDv2-capable routers (ff02::16).
 */
const ROUTER_GROUPS = new Set(['224.0.0.2', '224.0.0.5', '224.0.0.6', '224.0.0.9', '224.0.0.10', '224.0.0.13', '224.0.0.18', '224.0.0.102', 'ff02::2', 'ff05::2', 'ff02::5', 'ff02::6', 'ff02::9', 'ff02::a', 'ff02::d', 'ff02::12', 'ff02::16', 'ff02::66']);

/**
 * An IGMP or MLD message: a querier (a router, or a switch's snooping querier) asks with a
 * source address of its own; a host that joins a routers-only group routes.
 */
export function multicastMembership(x: ObserveCtx): void {
  const ev = x.ev;
  const mac = str(ev.mac_src);
  if (mac === undefined) return;
  const mi = macInfo(mac);
  const subject = mi.subject;
  if (subject === null) return;
  const proto = String(ev.protocol);
  // IGMP and MLD never cross a router (TTL 1, hop limit 1): the source address is the sender's own.
  const src = str(ev.src);
  if (src !== undefined && src !== '0.0.0.0' && src !== '::' && ipSubject(src) !== null) {
    x.links.addBinding(src, mi.mac, `${proto}.src`);
    x.addText(subject, 'ip', `${proto}.src`, src);
  }
  if (ev.msg_type === 'query') {
    // A querier asks all systems (224.0.0.1, ff02::1) or a group's members (RFC 9776 §4.1.12,
    // RFC 3810 §5.1.15): a query to one host's own address is a probe (nmap -sO sends one).
    if (ev.src !== '0.0.0.0' && ev.src !== '::' && isGroupAddress(String(ev.dst))) x.add(subject, { fact: 'role', value: 'multicast-querier', source: `${proto}.query` });
    return;
  }
  const records = Array.isArray(ev.records) ? (ev.records as { group: string; record: string }[]) : [];
  const routing = records.find((r) => r.record !== 'leave' && ROUTER_GROUPS.has(r.group));
  if (routing !== undefined) x.add(subject, { fact: 'role', value: 'multicast-router', source: `${proto}.group` });
}

/** An IPv4 class D or IPv6 ff00::/8 address. */
function isGroupAddress(a: string): boolean {
  if (a.includes(':')) return a.startsWith('ff');
  const first = Number(a.slice(0, a.indexOf('.')));
  return first >= 224 && first <= 239;
}

/** A VTP summary or subset: sent by switches of a VTP domain (servers and clients), and by whoever attacks one: the same Cisco-MAC rule. */
export function vtpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (ev.code !== 'summary' && ev.code !== 'subset') return;
  const subject = macSubject(str(ev.mac_src));
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'vtp', source: 'vtp' });
  x.add(subject, { fact: 'role', value: 'vtp-switch', source: 'vtp.code' });
}

/** An ICMP router advertisement (RFC 1256) a host would accept: its sender routes. */
export function icmpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (ev.msg_type !== 'router_advertisement' || ev.bad !== undefined || ev.tunneled === true) return;
  const subject = macSubject(str(ev.mac_src));
  if (subject !== null) x.add(subject, { fact: 'role', value: 'router', source: 'icmp.router_advertisement' });
}

/**
 * A DHCP name without the NUL terminator some clients count in the option's length (a QNAP NAS
 * sends "nas1\0"; the log keeps it, escaped, as Zeek and Suricata do). Not a host name otherwise.
 */
function unpadName(v: unknown): unknown {
  if (typeof v !== 'string' || !v.endsWith('\\x00')) return v;
  let end = v.length;
  while (end >= 4 && v.startsWith('\\x00', end - 4)) end -= 4;
  return v.slice(0, end);
}

export function dhcpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  const mac = str(ev.mac);
  const subject = macSubject(mac);
  const type = String(ev.msg_type ?? '');
  if (ev.from_client === true) {
    if (subject === null) return;
    x.addText(subject, 'hostname', 'dhcp.option12', unpadName(ev.host_name));
    x.addText(subject, 'hostname', 'dhcp.option81', unpadName(ev.client_fqdn));
    x.addText(subject, 'vendor_class', 'dhcp.option60', ev.vendor_class, true, vendorClassClaim);
    x.addText(subject, 'fingerprint', 'dhcp.option55', ev.param_list);
    x.addText(subject, 'protocol', 'dhcp', 'dhcp');
    const ciaddr = str(ev.ciaddr);
    if (ciaddr !== undefined && ipIsHost(ciaddr)) {
      x.links.addBinding(ciaddr, parseMacString(mac!), 'dhcp.ciaddr');
      x.add(subject, { fact: 'ip', value: ciaddr, source: 'dhcp.ciaddr' });
    }
    const satoriType = SATORI_DHCP_TYPE[type];
    // A relay (giaddr set) forwards with its own TTL: only a client's own packet tells its TTL.
    const direct = ev.is_orig === true && (str(ev.giaddr) ?? '0.0.0.0') === '0.0.0.0';
    if (satoriType !== undefined) x.links.addFingerprint(false, satoriType, ev.options, ev.param_list, ev.vendor_class, direct && x.ttl > 0 ? x.ttl : undefined, subject, x);
    return;
  }
  if (type === 'ACK' && subject !== null) {
    const yiaddr = str(ev.yiaddr);
    if (yiaddr !== undefined && ipIsHost(yiaddr)) {
      x.links.addBinding(yiaddr, parseMacString(mac!), 'dhcp.yiaddr');
      x.add(subject, { fact: 'ip', value: yiaddr, source: 'dhcp.yiaddr' });
    }
  }
  const routers = ev.routers;
  if (Array.isArray(routers)) {
    for (const r of routers) if (typeof r === 'string' && ipIsHost(r) && x.links.routers.size < 1000) x.links.routers.add(r);
  }
}

/** An 802.1X machine login names the computer: User-Name "host/<name>" (the machine account's host name). */
export function radiusBinding(x: ObserveCtx): void {
  const ev = x.ev;
  const mac = str(ev.mac);
  if (mac === undefined) return;
  const m = macInfo(mac);
  if (m.subject === null) return;
  x.addText(m.subject, 'hostname', 'radius.user_name', ev.hostname);
  const ip = str(ev.framed_addr);
  if (ip !== undefined && ipIsHost(ip)) {
    x.links.addBinding(ip, m.mac, 'radius.framed_ip');
    x.add(m.subject, { fact: 'ip', value: ip, source: 'radius.framed_ip' });
    // The NAS states the address is the device's even before (or without) the device being seen
    // sending from it: a fact about the address makes it one of the device's addresses.
    x.addText(ipSubject(ip), 'mac', 'radius.framed_ip', formatMac(m.mac), false);
  }
}

export function dhcp6Message(x: ObserveCtx): void {
  const ev = x.ev;
  if (ev.is_orig !== true || x.c === null) return;
  const subject = ipSubject(x.origIp());
  if (subject === null) return;
  x.addText(subject, 'hostname', 'dhcpv6.option39', unpadName(ev.client_fqdn));
  x.addText(subject, 'vendor_class', 'dhcpv6.option16', ev.vendor_class);
  x.addText(subject, 'fingerprint', 'dhcpv6.option6', ev.param_list);
  x.addText(subject, 'protocol', 'dhcpv6', 'dhcpv6');
  x.links.addFingerprint(true, satoriDhcp6Type(String(ev.msg_type ?? '')), ev.options, ev.param_list, ev.vendor_class, undefined, subject, x);
}

function capabilities(x: ObserveCtx, subject: string, source: string, caps: unknown, mac: number): void {
  if (!Array.isArray(caps)) return;
  for (const c of caps) {
    if (typeof c !== 'string') continue;
    x.add(subject, { fact: 'capability', value: c, source });
    if (c === 'router') x.links.routerCapable.add(mac);
  }
}

function mgmt(x: ObserveCtx, subject: string, source: string, addrs: unknown, mac: number): void {
  if (!Array.isArray(addrs)) return;
  for (const a of addrs) {
    if (typeof a !== 'string' || !ipIsHost(a)) continue;
    x.add(subject, { fact: 'ip', value: a, source });
    x.links.addWeak(a, mac);
  }
}

/** The first frame of a locally administered unicast source (the engine's LocalSources): a MAC flood's made-up source? */
export function localSource(x: ObserveCtx): void {
  const ev = x.ev;
  const mac = parseMacString(String(ev.mac_src));
  if (mac < 0 || typeof ev.frames !== 'number') return;
  x.links.localSource(typeof ev.vlan === 'number' ? ev.vlan : -1, mac, ev.frames, x.ts);
}

export function lldpNeighbor(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = macSubject(ev.mac_src);
  if (subject === null) return;
  const mac = parseMacString(String(ev.mac_src));
  if (!x.links.announce(`lldp|${typeof ev.vlan === 'number' ? ev.vlan : -1}`, mac, x.ts)) return;
  x.add(subject, { fact: 'protocol', value: 'lldp', source: 'lldp' });
  x.addText(subject, 'hostname', 'lldp.system_name', ev.system_name);
  x.addText(subject, 'description', 'lldp.system_description', ev.system_description, true, systemDescriptionClaim);
  capabilities(x, subject, 'lldp.capabilities', ev.enabled_capabilities ?? ev.capabilities, mac);
  x.addText(subject, 'manufacturer', 'lldp.med_manufacturer', ev.med_manufacturer);
  x.addText(subject, 'model', 'lldp.med_model_name', ev.med_model_name);
  x.addText(subject, 'firmware', 'lldp.med_firmware_revision', ev.med_firmware_revision);
  x.addText(subject, 'software', 'lldp.med_software_revision', ev.med_software_revision);
  x.addText(subject, 'serial', 'lldp.med_serial_number', ev.med_serial_number);
  // LLDP-MED class III is a communication device endpoint: an IP phone (or a conference unit),
  // and the voice VLAN its policy names is the segment its calls travel on. A switch's policy
  // (class network connectivity) is what it offers the phones on its port, not its own VLAN.
  if (ev.med_class === 'endpoint_class_iii') x.add(subject, { fact: 'role', value: 'ip-phone', source: 'lldp.med_class' });
  if (ev.med_class === 'endpoint_class_iii' && Array.isArray(ev.med_policies)) {
    for (const p of ev.med_policies as unknown[]) {
      const v = typeof p === 'string' ? /^voice vlan (\d+) /.exec(p) : null;
      if (v !== null && v[1] !== '0') x.add(subject, { fact: 'vlan', value: v[1], source: 'lldp.med_policy' });
    }
  }
  mgmt(x, subject, 'lldp.management_address', ev.mgmt_addresses, mac);
}

export function cdpNeighbor(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = macSubject(ev.mac_src);
  if (subject === null) return;
  const mac = parseMacString(String(ev.mac_src));
  if (!x.links.announce(`cdp|${typeof ev.vlan === 'number' ? ev.vlan : -1}`, mac, x.ts)) return;
  x.add(subject, { fact: 'protocol', value: 'cdp', source: 'cdp' });
  x.addText(subject, 'hostname', 'cdp.device_id', ev.device_id);
  x.addText(subject, 'platform', 'cdp.platform', ev.platform);
  x.addText(subject, 'description', 'cdp.software_version', ev.software_version, true, systemDescriptionClaim);
  capabilities(x, subject, 'cdp.capabilities', ev.capabilities, mac);
  mgmt(x, subject, 'cdp.address', ev.addresses, mac);
  mgmt(x, subject, 'cdp.management_address', ev.mgmt_addresses, mac);
  const vlan = num(ev.native_vlan);
  if (vlan !== undefined) x.add(subject, { fact: 'vlan', value: String(vlan), source: 'cdp.native_vlan' });
}

/** DCP PDUs in which a station states its own identity (not a Set or an Identify filter). */
function dcpSelf(ev: Record<string, unknown>): boolean {
  if (ev.service === 'hello') return ev.service_type === 'request';
  return (ev.service === 'identify' || ev.service === 'get') && ev.service_type === 'response';
}

export function profinetDcp(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = macSubject(ev.src_mac);
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'profinet-dcp', source: 'profinet.dcp' });
  if (!dcpSelf(ev)) return;
  const mac = parseMacString(String(ev.src_mac));
  const source = ev.service === 'hello' ? 'profinet.hello' : `profinet.${String(ev.service)}_response`;
  x.addText(subject, 'hostname', 'profinet.name_of_station', ev.name_of_station);
  x.addText(subject, 'model', 'profinet.type_of_station', str(ev.type_of_station)?.trim());
  x.addText(subject, 'name', 'profinet.alias', ev.alias);
  const vid = num(ev.vendor_id);
  if (vid !== undefined) x.add(subject, { fact: 'vendor_id', value: String(vid), source: 'profinet.vendor_id' });
  const did = num(ev.device_id);
  if (did !== undefined) x.add(subject, { fact: 'product_code', value: String(did), source: 'profinet.device_id' });
  const roles = ev.device_role;
  if (Array.isArray(roles)) {
    if (roles.includes('io-device')) x.add(subject, { fact: 'role', value: 'profinet-device', source });
    if (roles.includes('io-controller')) x.add(subject, { fact: 'role', value: 'profinet-controller', source });
    if (roles.includes('io-supervisor')) x.add(subject, { fact: 'role', value: 'profinet-supervisor', source });
  }
  const ip = str(ev.ip);
  // 0.0.0.0 is a station without an address yet (waiting for the engineering tool to set one).
  if (ip !== undefined && ipIsHost(ip)) {
    x.links.addBinding(ip, mac, 'profinet.ip');
    x.add(subject, { fact: 'ip', value: ip, source: 'profinet.ip' });
    // The station states its own address, like an ARP reply: the address is the device's even
    // if no IP packet from it is in the capture.
    x.addText(ipSubject(ip), 'mac', 'profinet.ip', formatMac(mac), false);
  }
}

export function profinetRt(x: ObserveCtx): void {
  const subject = macSubject(x.ev.src_mac);
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'profinet-io', source: 'profinet.rt' });
}

/** Chipset makers whose name WPS firmware often gives as the "manufacturer" of the product. */
const WPS_CHIPSET = /^(broadcom|ralink|realtek|atheros|qualcomm|mediatek|marvell|intel|cypress|espressif)\b/i;

/**
 * 802.11 management frames (IEEE 802.11 §9.3.3): an access point's beacon or probe response
 * names its network and protection; a station's (re)association request names the network it
 * joins; WPS attributes (Wi-Fi Simple Configuration) name manufacturer, model and device kind.
 * A probe request from a locally administered address is a phone's randomised address, which
 * changes from scan to scan: no device of its own.
 */
export function wlanMgmt(x: ObserveCtx): void {
  const ev = x.ev;
  const kind = str(ev.kind);
  const tx = str(ev.transmitter);
  if (kind === undefined || tx === undefined) return;
  const { subject, mac } = macInfo(tx);
  if (subject === null) return;
  if (kind === 'probe_request' && (Math.floor(mac / 2 ** 40) & 0x02) !== 0 && ev.wps_manufacturer === undefined) return;
  const ap = kind === 'beacon' || kind === 'probe_response';
  x.add(subject, { fact: 'protocol', value: '802.11', source: 'wlan' });
  if (ap) x.add(subject, { fact: 'role', value: 'wifi-ap', source: `wlan.${kind}` });
  else if (kind === 'assoc_request' || kind === 'reassoc_request') x.add(subject, { fact: 'role', value: 'wifi-station', source: `wlan.${kind}` });
  // The network an access point serves, or the one a station joins (not every name it probes for).
  if (ap || kind !== 'probe_request') x.addText(subject, 'wifi_ssid', 'wlan.ssid', ev.ssid);
  if (ap || kind !== 'probe_request') x.addText(subject, 'wifi_security', 'wlan.security', ev.security);
  const manufacturer = str(ev.wps_manufacturer);
  if (manufacturer !== undefined && !WPS_CHIPSET.test(manufacturer)) x.addText(subject, 'manufacturer', 'wps.manufacturer', manufacturer);
  x.addText(subject, 'model', 'wps.model_name', ev.wps_model_name);
  x.addText(subject, 'model_number', 'wps.model_number', ev.wps_model_number);
  x.addText(subject, 'device_name', 'wps.device_name', ev.wps_device_name);
  x.addText(subject, 'serial', 'wps.serial_number', ev.wps_serial_number);
  x.addText(subject, 'wps_device_type', 'wps.device_type', ev.wps_device_type);
}

/**
 * CAPWAP control (RFC 5415): the side that sent a WTP Descriptor, Board Data or its name is a
 * lightweight access point, named by its AP name and described by its board data and software;
 * the side that sent an AC Descriptor is the wireless controller, named by its AC name.
 */
export function capwapSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  if (typeof ev.wtp_orig === 'boolean') {
    const ap = x.side(ev.wtp_orig);
    x.add(ap, { fact: 'role', value: 'wireless-ap', source: 'capwap.wtp' });
    x.addText(ap, 'hostname', 'capwap.wtp_name', hostnameField(ev.wtp_name));
    x.addText(ap, 'location', 'capwap.wtp_location', ev.wtp_location);
    x.addText(ap, 'manufacturer', 'capwap.wtp_vendor', ev.wtp_vendor);
    x.addText(ap, 'model', 'capwap.wtp_model', ev.wtp_model);
    x.addText(ap, 'serial', 'capwap.wtp_serial', ev.wtp_serial);
    x.addText(ap, 'firmware', 'capwap.wtp_software', ev.wtp_software);
  }
  if (typeof ev.ac_orig === 'boolean') {
    const ac = x.side(ev.ac_orig);
    x.add(ac, { fact: 'role', value: 'wireless-controller', source: 'capwap.ac' });
    x.addText(ac, 'hostname', 'capwap.ac_name', hostnameField(ev.ac_name));
    x.addText(ac, 'manufacturer', 'capwap.ac_vendor', ev.ac_vendor);
    x.addText(ac, 'firmware', 'capwap.ac_software', ev.ac_software);
  }
}
