// Application banners and identities: HTTP User-Agent, Server and Host (RFC 9110 §10.1.5,
// §10.2.4, §7.2), software banners of the shared `software` event, SSH identification strings
// (RFC 4253 §4.2), the SNMP system group (RFC 3418: sysDescr, sysObjectID, sysName), SSDP
// announcements (UPnP Device Architecture 2.0 §1: NT/ST device types, SERVER), TLS client and
// fingerprints (JA3/JA4; a server's JA3S says too little to pay for on every handshake) and the
// server certificate subject, MQTT CONNECT, RTSP servers (RFC 2326 §7 responses).
import { deviceIdField } from '../analyzers/ipp/parse.js';
import { endpointDomain } from '../analyzers/mgcp/parse.js';
import { mgcpGatewayIsOrig } from '../analyzers/mgcp/events.js';
import { remoteAccessSign } from '../knowledge/remote-access.js';
import { ipIsHost } from './addr.js';
import { formatAddr } from '../decode/packet.js';
import { ipSubject, macInfo, str, type ObserveCtx } from './observe-ctx.js';
import { HOST_LABEL } from './observe-wsd.js';
import { hostnameField, hostnameValue, isDnsName } from './observe-names.js';
import { agentOsClaim, iscsiInitiatorClaim, normaliseFamily, sshClaim, systemDescriptionClaim, unameClaim, userAgentClaim, windowsByName } from './os-parse.js';
import type { OsClaim } from './facts.js';

const CONF_SSDP_SERVER = 0.35;

export function httpTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const client = x.side(true);
  const server = x.side(false);
  const ua = str(ev.user_agent);
  if (ua !== undefined) x.addText(client, 'user_agent', 'http.user_agent', ua, true, userAgentClaim);
  if (server === null || ev.status_code === undefined) return;
  // Through a forward proxy the Server header and the Host are the origin's (the analyzer says).
  const proxied = ev.proxied === true;
  if (!proxied) x.addText(server, 'software', 'http.server', ev.server);
  // A DICOMweb service (PS3.18) that answered: a PACS, VNA or imaging archive.
  const status = Number(ev.status_code);
  if (!proxied && typeof ev.dicomweb === 'string' && status >= 200 && status < 300) x.add(server, { fact: 'role', value: 'dicomweb-server', source: 'http.dicomweb' });
  const host = str(ev.host);
  if (host === undefined || proxied) return;
  const name = host.includes(':') ? host.replace(/:\d+$/, '') : host;
  // Only DNS-style names: an address literal or a garbled header names nothing.
  if (!x.facts.has(server, 'hostname', 'http.host', name) && /^[a-z0-9][a-z0-9.-]*$/i.test(name) && /[a-z]/i.test(name) && !ipIsHost(name)) {
    x.add(server, { fact: 'hostname', value: name, source: 'http.host', self: false });
  }
}

/**
 * IPP (RFC 8011 §5.4): a printer's answer to Get-Printer-Attributes names it — make and model,
 * the IEEE 1284 device id (MFG/MDL), firmware, location. Only a response carrying printer
 * attributes makes the role: a print server relaying jobs answers Print-Job too.
 */
export function ippTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const printer = x.side(false);
  if (printer === null) return;
  x.add(printer, { fact: 'protocol', value: 'ipp', source: 'ipp' });
  const makeModel = str(ev.printer_make_and_model);
  const deviceId = str(ev.printer_device_id);
  if (makeModel === undefined && deviceId === undefined) return;
  x.add(printer, { fact: 'role', value: 'ipp-printer', source: 'ipp.printer_attributes' });
  x.addText(printer, 'model', 'ipp.printer_make_and_model', makeModel);
  if (deviceId !== undefined) {
    x.addText(printer, 'manufacturer', 'ipp.device_id_mfg', deviceIdField(deviceId, 'MFG', 'MANUFACTURER'));
    x.addText(printer, 'model', 'ipp.device_id_mdl', deviceIdField(deviceId, 'MDL', 'MODEL'));
  }
  x.addText(printer, 'firmware', 'ipp.printer_firmware', ev.printer_firmware);
  x.addText(printer, 'location', 'ipp.printer_location', ev.printer_location);
}

/** The evidence source of a `software` event, by its Zeek software type. */
const SOFTWARE_SOURCE: Record<string, string> = {
  'FTP::SERVER': 'ftp.banner',
  'FTP::CLIENT': 'ftp.client',
  'SMTP::MAIL_SERVER': 'smtp.banner',
  'SMTP::MAIL_CLIENT': 'smtp.client',
  'IMAP::SERVER': 'imap.banner',
  'POP3::SERVER': 'pop3.banner',
  'MySQL::SERVER': 'mysql.greeting',
  'PostgreSQL::SERVER': 'postgresql.parameter_status',
  'MSSQL::SERVER': 'mssql.server_version',
  'ENIP::DEVICE': 'enip.identity',
  'MODBUS::DEVICE': 'modbus.device_id',
  'S7::PLC': 's7comm.szl',
  'SSDP::SERVER': 'ssdp.server',
  'SSDP::CLIENT': 'ssdp.user_agent',
  'SIP::CLIENT': 'sip.user_agent',
  'SIP::SERVER': 'sip.server',
  'CDP::OS': 'cdp.software_version',
  'RTSP::SERVER': 'rtsp.server',
  'RTSP::CLIENT': 'rtsp.user_agent',
  'RTSP::SDP_TOOL': 'rtsp.sdp_tool',
  'AMQP::SERVER': 'amqp.server_properties',
  'AMQP::CLIENT': 'amqp.client_properties',
  'H323::ENDPOINT': 'h323.product',
};
/** Types another handler reads from the protocol's own event (with more context). */
const SOFTWARE_SKIP = new Set(['HTTP::BROWSER', 'HTTP::SERVER', 'SSH::CLIENT', 'SSH::SERVER', 'DICOM::SERVER', 'DICOM::CLIENT']);

export function software(x: ObserveCtx): void {
  const ev = x.ev;
  const type = String(ev.software_type ?? '');
  if (SOFTWARE_SKIP.has(type)) return;
  // A banner from inside a SOCKS or HTTP CONNECT tunnel names the remote server, not the proxy.
  const c = x.c;
  if (x.tunneled && c !== null && ev.host === formatAddr(c.r0, c.r1, c.r2, c.r3)) return;
  // Google QUIC's CHLO carries the browser's user agent ("Chrome/62.0.3202.94 Windows NT 10.0;
  // Win64; x64"): the client's OS, as an HTTP User-Agent states it.
  if (type === 'QUIC::BROWSER') {
    x.addText(ipSubject(ev.host), 'user_agent', 'quic.user_agent', ev.unparsed_version, true, userAgentClaim);
    return;
  }
  const source = SOFTWARE_SOURCE[type] ?? type.toLowerCase().replace(/::/g, '.');
  x.addText(ipSubject(ev.host), 'software', source, ev.unparsed_version);
}

/** An RTSP response makes its sender a media server (cameras, encoders, NVRs), on any port. */
export function rtspTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.status_code === undefined) return;
  // The responder is the side that did not send the request (servers may send requests too).
  const server = x.side(ev.is_orig !== true);
  if (server === null) return;
  x.add(server, { fact: 'role', value: 'rtsp-server', source: 'rtsp.response' });
}

export function sshIdent(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const ident = str(ev.ident);
  if (ident === undefined) return;
  x.addText(x.side(ev.is_orig === true), 'software', 'ssh.ident', ident, true, sshClaim);
}

export function snmpSystem(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  x.add(subject, { fact: 'role', value: 'snmp-agent', source: 'snmp.system' });
  x.addText(subject, 'hostname', 'snmp.sys_name', ev.sys_name);
  x.addText(subject, 'description', 'snmp.sys_descr', ev.sys_descr, true, systemDescriptionClaim);
  x.addText(subject, 'object_id', 'snmp.sys_object_id', ev.sys_object_id);
  x.addText(subject, 'location', 'snmp.sys_location', ev.sys_location);
}

/** The OS token of an SSDP SERVER / USER-AGENT header ("Linux/3.14 UPnP/1.0 …", "Microsoft-Windows/10.0 UPnP/1.0"). */
export function ssdpServerClaim(s: string): OsClaim | null {
  let m = /Windows(?:[- ]NT)?\/(\d+)\.(\d+)/i.exec(s);
  if (m !== null) {
    const major = Number(m[1]);
    const minor = Number(m[2]);
    return { name: major === 10 ? 'Windows 10 or 11' : `Windows ${major}.${minor}`, version: `${major}.${minor}`, family: 'Windows', confidence: CONF_SSDP_SERVER, windows: { major, minor, build: 0 } };
  }
  m = /\bLinux\/(\d+\.\d+[\w.-]*)/i.exec(s);
  if (m !== null) return { name: 'Linux', version: m[1], family: 'Linux', confidence: CONF_SSDP_SERVER };
  const w = windowsByName(s);
  if (w !== null) return { name: 'Windows', version: null, family: 'Windows', confidence: CONF_SSDP_SERVER - 0.1 };
  return null;
}

export function ssdpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null || ev.method === 'M-SEARCH') return;
  x.addText(subject, 'software', 'ssdp.server', ev.server, true, ssdpServerClaim);
  for (const k of [ev.nt, ev.st]) {
    const m = typeof k === 'string' ? /^urn:[^:]+:device:([^:]+):\d+$/i.exec(k) : null;
    if (m !== null) x.add(subject, { fact: 'upnp_device_type', value: m[1], source: 'ssdp.device_type' });
  }
}

export function sslClientHello(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const subject = x.side(true);
  x.addText(subject, 'fingerprint', 'tls.ja3', ev.ja3);
  x.addText(subject, 'fingerprint', 'tls.ja4', ev.ja4);
  remoteAccessSoftware(x);
}

export function sslCertificate(x: ObserveCtx): void {
  const ev = x.ev;
  if (ev.index !== 0) return;
  remoteAccessSoftware(x);
  if (ev.host_cert !== true || ev.is_orig === true) return;
  const cert = ev.cert as { subject?: unknown } | undefined;
  x.addText(ipSubject(ev.server), 'certificate_subject', 'x509.subject', cert?.subject);
}

/** A remote-access tool the event shows (src/knowledge/remote-access.ts) joins its host's software. */
export function remoteAccessSoftware(x: ObserveCtx): void {
  const c = x.c;
  if (c === null) return;
  const sign = remoteAccessSign(x.ev, c.rPort);
  if (sign !== null) x.addText(x.side(sign.orig), 'software', sign.source, sign.product);
}

export function mqttConnect(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const client = x.side(true);
  x.add(client, { fact: 'role', value: 'mqtt-client', source: 'mqtt.connect' });
  x.addText(client, 'client_id', 'mqtt.client_id', ev.client_id);
  if (ev.accepted !== undefined) x.add(x.side(false), { fact: 'role', value: 'mqtt-broker', source: 'mqtt.connack' });
}

/**
 * Raw printing (TCP 9100): the side that took print data or answered PJL/ZPL is a printer; its
 * answer to PJL INFO ID or ZPL ~HI names its model (and for ZPL its firmware). A ZPL stream
 * makes it a label printer (wristbands, specimen labels).
 */
export function jetdirectSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const printer = x.side(false);
  if (printer === null) return;
  x.add(printer, { fact: 'role', value: 'jetdirect-printer', source: 'jetdirect.session' });
  if (Array.isArray(ev.languages) && ev.languages.includes('zpl')) x.add(printer, { fact: 'role', value: 'label-printer', source: 'jetdirect.zpl' });
  if (ev.model_source === 'zpl') {
    x.addText(printer, 'model', 'jetdirect.zpl_model', ev.model);
    x.addText(printer, 'firmware', 'jetdirect.zpl_firmware', ev.firmware);
  } else x.addText(printer, 'model', 'jetdirect.pjl_id', ev.model);
}

/** A Niagara station's or Workbench's OS as Fox's hello states it (os.name, os.version). */
export function foxOsClaim(text: string): OsClaim | null {
  const m = /^(.*?)\s+(\d[\w.-]*)$/.exec(text.trim());
  const name = (m?.[1] ?? text).trim();
  const version = m?.[2] ?? null;
  if (name === '') return null;
  if (/windows/i.test(name)) {
    const w = windowsByName(name);
    const v = /^(\d+)\.(\d+)/.exec(version ?? '');
    const windows = v !== null ? { major: Number(v[1]), minor: Number(v[2]), build: 0, server: w?.server ?? false } : w !== null ? { major: w.major, minor: w.minor, build: 0, server: w.server } : undefined;
    return { name, version, family: 'Windows', confidence: CONF_FOX_OS, ...(windows !== undefined ? { windows } : {}) };
  }
  return { name, version, family: normaliseFamily(name), confidence: CONF_FOX_OS };
}

/** What a Fox hello says of itself is the station's own account: as strong as an SNMP sysDescr. */
const CONF_FOX_OS = 0.7;

/**
 * Niagara Fox: the side that answered the hello with an application is a Niagara station (a JACE
 * or a Supervisor: building automation), named by its host name, its Niagara version, brand and
 * OS; the client's hello names the program and the host it runs on (Workbench: an engineering
 * workstation).
 */
export function foxSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const station = x.side(false);
  const client = x.side(true);
  if (typeof ev.app_name === 'string' && ev.app_name !== '') {
    x.add(station, { fact: 'role', value: 'niagara-station', source: 'niagara_fox.hello' });
    x.addText(station, 'software', 'niagara_fox.app', `Niagara ${ev.app_name}${typeof ev.app_version === 'string' ? ` ${ev.app_version}` : ''}`);
  }
  x.addText(station, 'hostname', 'niagara_fox.host_name', hostnameField(ev.host_name));
  x.addText(station, 'brand', 'niagara_fox.brand_id', ev.brand_id);
  x.addText(station, 'host_id', 'niagara_fox.host_id', ev.host_id);
  if (typeof ev.os_name === 'string' && ev.os_name !== '') foxOs(x, station, `${ev.os_name}${typeof ev.os_version === 'string' ? ` ${ev.os_version}` : ''}`, 'niagara_fox.os');
  if (ev.client_app === 'Workbench') x.add(client, { fact: 'role', value: 'niagara-workbench', source: 'niagara_fox.client_hello' });
  x.addText(client, 'hostname', 'niagara_fox.client_host_name', hostnameField(ev.client_host_name));
  if (typeof ev.client_os === 'string' && ev.client_os !== '') foxOs(x, client, ev.client_os, 'niagara_fox.client_os');
}

function foxOs(x: ObserveCtx, subject: string | null, text: string, source: string): void {
  const os = foxOsClaim(text);
  x.add(subject, os !== null ? { fact: 'os', value: text, source, os } : { fact: 'os', value: text, source });
}


/**
 * C37.118: the side that sent configuration or data frames is a phasor measurement unit or a
 * phasor data concentrator (power-system instrumentation: the hospital's substation, microgrid
 * or generator plant); its station names say which.
 */
export function synchrophasorSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || (ev.source !== 'orig' && ev.source !== 'resp')) return;
  const pmu = x.side(ev.source === 'orig');
  x.add(pmu, { fact: 'role', value: 'pmu', source: 'synchrophasor.config' });
  if (Array.isArray(ev.stations)) for (const st of ev.stations.slice(0, 4)) x.addText(pmu, 'station', 'synchrophasor.station', st);
}

/** C12.22: the side that answered on the association's port is a C12.22 node (a meter, relay or collector). */
export function c1222Session(x: ObserveCtx): void {
  if (x.c === null) return;
  x.add(x.side(false), { fact: 'role', value: 'c1222-node', source: 'c1222.apdu' });
}

/**
 * UBDP (Ubiquiti discovery, UDP 10001): the side that sent TLVs is a Ubiquiti device describing
 * itself (a broadcast announcement's originator, a query's answerer; never the broadcast
 * address): its product code and model, firmware, host name, and whether it is still in its
 * factory-default state. The asker of a bare query says nothing of itself.
 */
export function ubdpSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.is_orig !== 'boolean') return;
  const device = x.side(ev.is_orig);
  if (device === null) return;
  x.add(device, { fact: 'role', value: 'ubiquiti-device', source: 'ubdp.announcement' });
  x.addText(device, 'model', 'ubdp.model', str(ev.model)?.trim());
  x.addText(device, 'model', 'ubdp.product', str(ev.product)?.trim());
  x.addText(device, 'firmware', 'ubdp.firmware', ev.firmware);
  x.addText(device, 'firmware', 'ubdp.firmware_version', ev.firmware_version);
  x.addText(device, 'hostname', 'ubdp.hostname', hostnameField(ev.hostname));
  // Unadopted and unconfigured: the factory login (ubnt/ubnt on most models) still works.
  if (ev.is_default === true) x.add(device, { fact: 'factory_default', value: 'true', source: 'ubdp.is_default' });
  x.addText(device, 'wifi_ssid', 'ubdp.essid', ev.essid);
}

/** A Zabbix host name: Hostname= may hold spaces, which no host name has. */
function zabbixHostname(v: unknown): string | undefined {
  const h = hostnameField(v);
  return h !== undefined && !/\s/.test(h) ? h : undefined;
}

/**
 * Zabbix: the agent (the responder of a passive check, the originator of its own active
 * requests) is the monitored host — its stated host name, system.hostname and agent.hostname,
 * the OS of its system.uname, "Zabbix agent <version>"; the other side is the Zabbix server or
 * proxy that polls it or takes its data (and what zabbix_sender sends to).
 */
export function zabbixTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  if (ev.agent_side !== 'orig' && ev.agent_side !== 'resp') {
    if (ev.request === 'sender data') x.add(x.side(false), { fact: 'role', value: 'monitoring-server', source: 'zabbix.request' });
    return;
  }
  const agentIsOrig = ev.agent_side === 'orig';
  const agent = x.side(agentIsOrig);
  x.add(x.side(!agentIsOrig), { fact: 'role', value: 'monitoring-server', source: 'zabbix.request' });
  x.addText(agent, 'hostname', 'zabbix.host', zabbixHostname(ev.host));
  x.addText(agent, 'hostname', 'zabbix.agent_hostname', zabbixHostname(ev.agent_hostname));
  x.addText(agent, 'hostname', 'zabbix.system_hostname', zabbixHostname(ev.system_hostname));
  x.addText(agent, 'description', 'zabbix.system_uname', ev.system_uname, true, unameClaim);
  x.addText(agent, 'description', 'zabbix.system_sw_os', ev.system_sw_os);
  const version = str(ev.agent_version);
  if (version !== undefined && version !== '') x.addText(agent, 'software', 'zabbix.agent_version', `Zabbix agent${ev.agent_variant === 2 ? ' 2' : ''} ${version}`);
}

/**
 * Checkmk: the side that answered with agent output is the monitored host — its Hostname, the
 * family of its AgentOS (a weak claim: the agent build, not the system's version), "Checkmk
 * agent <version>"; the side that fetched it is the Checkmk site (or whoever else connected).
 */
export function checkmkSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const agent = x.side(false);
  x.add(x.side(true), { fact: 'role', value: 'monitoring-server', source: 'checkmk.session' });
  x.addText(agent, 'hostname', 'checkmk.hostname', hostnameField(ev.hostname));
  const os = str(ev.agent_os);
  if (os !== undefined && os !== '') {
    const claim = agentOsClaim(os);
    x.add(agent, claim !== null ? { fact: 'os', value: os, source: 'checkmk.agent_os', os: claim } : { fact: 'os', value: os, source: 'checkmk.agent_os' });
  }
  const version = str(ev.version);
  if (version !== undefined && version !== '') x.addText(agent, 'software', 'checkmk.version', `Checkmk agent ${version}`);
}

/** An SCCP station's role by the kind of device its type number names. */
const SCCP_ROLES: Record<string, string> = {
  phone: 'ip-phone',
  'conference-bridge': 'conference-bridge',
  'media-resource': 'media-resource',
  'gateway-port': 'voice-gateway',
};

/**
 * Cisco SCCP (Skinny): the station is a phone, conference bridge, media resource or voice gateway
 * by the device type of its RegisterReq — a phone by its ringer, lamps and call states when the
 * capture missed the registration —, with its model, firmware load and device name (a host name
 * unless it is "SEP" and the phone's MAC, which then binds the station's address weakly, as a CDP
 * management address does). The side that answered its registration or drove it is the call
 * manager (Unified CM, or CallManager Express on a router).
 */
export function sccpSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.station_is_orig !== 'boolean') return;
  const stationIsOrig = ev.station_is_orig;
  const station = x.side(stationIsOrig);
  const cm = x.side(!stationIsOrig);
  x.add(station, { fact: 'protocol', value: 'sccp', source: 'sccp' });
  const kind = str(ev.station_kind);
  const role = kind !== undefined ? SCCP_ROLES[kind] : ev.phone_ui === true ? 'ip-phone' : undefined;
  if (role !== undefined) x.add(station, { fact: 'role', value: role, source: kind !== undefined ? 'sccp.device_type' : 'sccp.phone_ui' });
  x.addText(station, 'model', 'sccp.device_type', ev.model);
  if (typeof ev.device_type === 'number') x.add(station, { fact: 'product_code', value: String(ev.device_type), source: 'sccp.device_type_number' });
  x.addText(station, 'firmware', 'sccp.firmware', ev.firmware);
  const name = str(ev.device_name);
  const mac = str(ev.mac);
  if (mac !== undefined) {
    const m = macInfo(mac);
    const ip = stationIsOrig ? x.origIp() : x.respIp();
    if (m.subject !== null && ip !== null) x.links.addWeak(ip, m.mac);
  } else if (name !== undefined && name !== '') x.addText(station, 'hostname', 'sccp.device_name', hostnameValue(name));
  if (typeof ev.registered === 'boolean' || ev.phone_ui === true || (typeof ev.media === 'number' && ev.media > 0)) {
    x.add(cm, { fact: 'protocol', value: 'sccp', source: 'sccp' });
    x.add(cm, { fact: 'role', value: 'call-manager', source: 'sccp.session' });
  }
}

/**
 * AJP13: the side that answered a forwarded request or a CPing is a servlet container. The
 * request's remote_addr is the client behind the web server as the web server states it: a claim
 * about another host, never a device of its own.
 */
export function ajpExchange(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || (typeof ev.status_code !== 'number' && ev.pong !== true)) return;
  x.add(x.side(false), { fact: 'role', value: 'ajp-server', source: 'ajp.response' });
}

/** An H.323 node's role by the kinds its EndpointType declares (a gateway or MCU before a terminal). */
function h323Role(types: unknown): string {
  const t = Array.isArray(types) ? types : [];
  return t.includes('gateway') ? 'h323-gateway' : t.includes('mcu') ? 'h323-mcu' : 'h323-endpoint';
}

/**
 * What an H.323 message said of the endpoint that sent it: an H.323 endpoint, gateway or MCU, the
 * maker its H.221 t35 codes are registered to (the codes themselves as `vendor_id`), its productId
 * and versionId, and its H.323-IDs — a host name when one is a host-name-like token, else a device
 * name. Number aliases never reach the event.
 */
function h323Endpoint(x: ObserveCtx, subject: string | null, f: Record<string, unknown>): void {
  x.add(subject, { fact: 'protocol', value: 'h323', source: 'h323' });
  x.add(subject, { fact: 'role', value: h323Role(f.terminal_type), source: Array.isArray(f.terminal_type) ? 'h323.terminal_type' : 'h323' });
  x.addText(subject, 'manufacturer', 'h323.manufacturer', f.manufacturer);
  x.addText(subject, 'vendor_id', 'h323.t35', f.t35);
  x.addText(subject, 'product', 'h323.product_id', f.product_id);
  x.addText(subject, 'firmware', 'h323.version_id', f.version_id);
  if (!Array.isArray(f.h323_ids)) return;
  for (const id of f.h323_ids) {
    if (typeof id !== 'string' || id === '') continue;
    // An H.323-ID that reads as a host name names the unit; any other is its device name.
    if (isDnsName(id)) x.addText(subject, 'hostname', 'h323.h323_id', hostnameValue(id));
    else x.addText(subject, 'device_name', 'h323.h323_id', id);
  }
}

/** RAS answers only a gatekeeper sends. */
const GATEKEEPER_ANSWERS = new Set(['GCF', 'GRJ', 'RCF', 'RRJ', 'UCF', 'URJ', 'ACF', 'ARJ', 'BCF', 'BRJ', 'DCF', 'DRJ', 'LCF', 'LRJ']);

/**
 * H.225.0 RAS: the endpoint (sender of GRQ, RRQ, ARQ, IRR; receiver of IRQ) as h323Endpoint reads
 * it; the side that answered it, or sent it an IRQ, is the gatekeeper, named by its identifier.
 */
export function h323Ras(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.endpoint_is_orig !== 'boolean') return;
  const endpoint = x.side(ev.endpoint_is_orig);
  const gk = x.side(!ev.endpoint_is_orig);
  h323Endpoint(x, endpoint, ev);
  const answered = typeof ev.reply === 'string' && GATEKEEPER_ANSWERS.has(ev.reply);
  if (!answered && ev.request !== 'IRQ') return;
  x.add(gk, { fact: 'protocol', value: 'h323', source: 'h323' });
  x.add(gk, { fact: 'role', value: 'h323-gatekeeper', source: 'h323.ras' });
  x.addText(gk, 'device_name', 'h323.gatekeeper_id', ev.gatekeeper_id);
}

/** H.225.0 call signalling: the caller as its Setup describes it; the callee once it answered. */
export function h323Call(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.caller_is_orig !== 'boolean') return;
  const caller = ev.caller as Record<string, unknown>;
  const callee = ev.callee as Record<string, unknown>;
  const names = Array.isArray(ev.q931_messages) ? ev.q931_messages : [];
  if (names.includes('setup')) h323Endpoint(x, x.side(ev.caller_is_orig), caller);
  if (names.some((n) => n !== 'setup')) h323Endpoint(x, x.side(!ev.caller_is_orig), callee);
}

/**
 * Redis: the side that answered INFO or HELLO is a Redis server — "Redis <version>", the OS its
 * INFO states (the kernel, `uname -s -r -m`), its replication role (master or replica) as a fact.
 */
export function redisServer(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const server = x.side(false);
  x.add(server, { fact: 'role', value: 'redis-server', source: `redis.${String(ev.source)}` });
  const version = str(ev.version);
  if (version !== undefined && /^\d[\w.-]*$/.test(version)) x.addText(server, 'software', 'redis.version', `Redis ${version}`);
  const os = str(ev.os);
  if (os !== undefined && os !== '') {
    const claim = unameClaim(os);
    x.add(server, claim !== null ? { fact: 'os', value: os, source: 'redis.os', os: claim } : { fact: 'os', value: os, source: 'redis.os' });
  }
  const role = str(ev.role);
  if (role === 'master' || role === 'slave' || role === 'replica') x.addText(server, 'replication_role', 'redis.role', role === 'master' ? 'master' : 'replica');
}

/** Redis without INFO or HELLO: the side that answered commands in RESP is a Redis server. */
export function redisSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.replies !== 'number' || ev.replies === 0) return;
  x.add(x.side(false), { fact: 'role', value: 'redis-server', source: 'redis.session' });
}

/** The side that answered an rsync daemon greeting is a file server (a NAS, a backup host). */
export function rsyncSession(x: ObserveCtx): void {
  if (x.c === null || typeof x.ev.server_version !== 'string') return;
  x.add(x.side(false), { fact: 'role', value: 'rsync-server', source: 'rsync.session' });
}

/**
 * iSCSI: the side that answered a login or a command is a storage target (an array, a NAS, a
 * virtualisation host's storage); its LUNs' INQUIRY names the product. The initiator's name
 * (iqn.<date>.<naming authority>:<id>) says which initiator software made it: Microsoft's names
 * the Windows host (iqn.1991-05.com.microsoft:<fqdn>), VMware's an ESXi host, open-iscsi's the
 * Linux distribution that generated it (RFC 3720 3.2.6.3.1; the vendors' default naming).
 */
export function iscsiSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const target = x.side(false);
  x.add(target, { fact: 'role', value: 'iscsi-target', source: 'iscsi.session' });
  const luns = Array.isArray(ev.luns) ? (ev.luns as { vendor?: string; product?: string; revision?: string; device_type?: string }[]) : [];
  const disk = luns.find((l) => l.device_type === 'disk' && typeof l.vendor === 'string' && typeof l.product === 'string');
  if (disk !== undefined) x.add(target, { fact: 'software', value: `${disk.vendor} ${disk.product}${typeof disk.revision === 'string' ? ` ${disk.revision}` : ''}`, source: 'iscsi.inquiry' });
  if (typeof ev.initiator_name !== 'string' || ev.logged_in !== true) return;
  const initiator = x.side(true);
  x.add(initiator, { fact: 'role', value: 'iscsi-initiator', source: 'iscsi.initiator_name' });
  const os = iscsiInitiatorClaim(ev.initiator_name);
  if (os !== null) x.add(initiator, { fact: 'os', value: os.name, source: 'iscsi.initiator_name', os });
  // Microsoft's initiator names the host: iqn.1991-05.com.microsoft:<FQDN>.
  const ms = /^iqn\.1991-05\.com\.microsoft:([a-z0-9][a-z0-9.-]{0,252})$/i.exec(ev.initiator_name);
  if (ms !== null) x.addText(initiator, 'hostname', 'iscsi.initiator_name', hostnameField(ms[1]));
}

/**
 * DRDA (Db2, Derby): the side that answered the client's EXCSAT (EXCSATRD) or its login
 * (SECCHKRM, ACCRDBRM) is a database server; from Db2 products EXCSAT's SRVNAM is the client's
 * host name and EXCSATRD's the server's.
 */
export function drdaSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const commands = Array.isArray(ev.commands) ? (ev.commands as string[]) : [];
  if (commands.some((c) => c === 'EXCSATRD' || c === 'SECCHKRM' || c === 'ACCRDBRM')) x.add(x.side(false), { fact: 'role', value: 'db2-db-server', source: 'drda.session' });
  // Db2 sends the machine's name; Apache Derby a fixed word ("Derby", "NetworkServerControl").
  const named = (cls: unknown): boolean => typeof cls === 'string' && cls.startsWith('QDB2');
  if (named(ev.client_class)) x.addText(x.side(true), 'hostname', 'drda.client_host', hostnameField(ev.client_host));
  if (named(ev.server_class)) x.addText(x.side(false), 'hostname', 'drda.server_host', hostnameField(ev.server_host));
}

/**
 * Flow telemetry (sFlow, NetFlow, IPFIX): the sender is a router, switch or firewall exporting
 * what it forwards; the receiver is a flow collector (a NetFlow analyser, a SIEM's collector).
 */
export function flowExportSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const source = `${String(ev.protocol)}.header`;
  x.add(x.side(true), { fact: 'role', value: 'flow-exporter', source });
  x.add(x.side(false), { fact: 'role', value: 'flow-collector', source });
}

/** XMPP: the side that answered the client's stream (its header or stanzas) is a messaging server. */
export function xmppSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.stream === 'jabber:server') return;
  if (typeof ev.from === 'string' && ev.from !== '') x.add(x.side(false), { fact: 'role', value: 'xmpp-server', source: 'xmpp.session' });
}

/** AMQP: the side that answered with Connection.Start is a message broker. */
export function amqpSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.server_product === undefined) return;
  x.add(x.side(false), { fact: 'role', value: 'amqp-broker', source: 'amqp.server_properties' });
  x.add(x.side(true), { fact: 'protocol', value: 'amqp', source: 'amqp' });
}

/** Controller commands act on a gateway's terminations; Notify and ServiceChange come from the gateway. */
const MEGACO_CONTROLLER_COMMANDS = /^(Add|Modify|Move|Subtract|AuditValue|AuditCapability) /;
const MEGACO_GATEWAY_COMMANDS = /^(Notify|ServiceChange) /;

/**
 * Megaco/H.248: the side that sends Add/Modify/Subtract/Audit requests is a media gateway
 * controller (a softswitch), the side they act on a media gateway; Notify and ServiceChange
 * requests go the other way.
 */
export function megacoTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.kind !== 'request' || !Array.isArray(ev.commands)) return;
  const cmds = ev.commands.filter((c): c is string => typeof c === 'string');
  const fromController = cmds.some((c) => MEGACO_CONTROLLER_COMMANDS.test(c));
  const fromGateway = cmds.some((c) => MEGACO_GATEWAY_COMMANDS.test(c));
  if (fromController === fromGateway) return;
  const sender = x.side(ev.is_orig === true);
  const receiver = x.side(ev.is_orig !== true);
  x.add(fromController ? sender : receiver, { fact: 'role', value: 'megaco-controller', source: 'megaco.command' });
  x.add(fromController ? receiver : sender, { fact: 'role', value: 'media-gateway', source: 'megaco.command' });
}

/** Analog line names kept per gateway (a VG224 has 24, a VG350 up to 160). */
const MAX_MGCP_LINES = 64;

/**
 * MGCP: the side whose endpoints are addressed is a media gateway — the receiver of a call
 * agent's command it answered, or the sender of a Notify or RestartInProgress — and the other
 * side its call agent (Unified CM, a softswitch). The endpoints' domain ("vg224",
 * "gw1.example.net", the gateway's own name unless it is an address literal) names the gateway,
 * and its analog lines ("aaln/S2/1") are listed. An unanswered command (a scanner's) names nobody.
 */
export function mgcpTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  const gwIsOrig = mgcpGatewayIsOrig(ev);
  if (x.c === null || gwIsOrig === undefined) return;
  const gw = x.side(gwIsOrig);
  x.add(gw, { fact: 'protocol', value: 'mgcp', source: 'mgcp' });
  x.add(gw, { fact: 'role', value: 'media-gateway', source: 'mgcp.command' });
  const endpoint = str(ev.endpoint) ?? '';
  const domain = endpointDomain(endpoint);
  if (isDnsName(domain)) x.addText(gw, 'hostname', 'mgcp.endpoint_domain', hostnameField(domain));
  const local = endpoint.slice(0, endpoint.lastIndexOf('@'));
  if (gw !== null && /^aaln\//i.test(local) && !local.includes('*') && !local.includes('$') && x.facts.count(gw, 'mgcp.analog_line', 'mgcp.endpoint') < MAX_MGCP_LINES) x.addText(gw, 'mgcp.analog_line', 'mgcp.endpoint', local);
  // An unanswered Notify or RestartInProgress names no call agent.
  if (typeof ev.response_code !== 'number') return;
  const agent = x.side(!gwIsOrig);
  x.add(agent, { fact: 'protocol', value: 'mgcp', source: 'mgcp' });
  x.add(agent, { fact: 'role', value: 'mgcp-call-agent', source: 'mgcp.command' });
}

/**
 * LPD (RFC 1179): the server takes print jobs (a printer or a print server); a job's control file
 * names the client's host (its H line), as the client's own lpr sees it.
 */
export function lpdRequest(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  x.add(x.side(false), { fact: 'role', value: 'lpd-server', source: 'lpd.request' });
  const host = str(ev.host);
  if (host !== undefined && host !== '' && !/^localhost(\.|$)/i.test(host)) x.add(x.side(true), { fact: 'hostname', value: hostnameValue(host), source: 'lpd.host' });
}

/**
 * TFTP (RFC 1350): the file a client reads or writes names what it is more often than not — an
 * IP phone fetches its configuration by its own MAC (Cisco SEP<mac>.cnf.xml), a PXE client its
 * boot loader, a switch backs up its config. The server is a TFTP server.
 */
export function tftpRequest(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  x.addText(x.side(true), 'tftp_file', 'tftp.fname', ev.fname);
  x.add(x.side(false), { fact: 'role', value: 'tftp-server', source: 'tftp.request' });
}

/** CoRE resource types (RFC 6690 rt=) a device advertises, at most this many kept as facts. */
const MAX_COAP_RESOURCE_TYPES = 16;

/**
 * A CoAP exchange: the side that answered a request is a CoAP server (constrained devices serve
 * their sensors and actuators this way, RFC 7252 §1); a LwM2M registration names the device's
 * endpoint (OMA LwM2M Transport §6.4.1), and the registrar answering 2.01 is a LwM2M server.
 */
export function coapTransaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const requester = x.side(ev.request_is_orig === true);
  const server = x.side(ev.request_is_orig !== true);
  const code = typeof ev.response_code === 'string' ? ev.response_code : typeof ev.code === 'string' && !ev.code.startsWith('0.') ? ev.code : '';
  if (ev.answered === true && code !== '') x.add(server, { fact: 'role', value: 'coap-server', source: 'coap.response' });
  if (typeof ev.lwm2m_endpoint === 'string' && ev.lwm2m_endpoint !== '') {
    x.add(requester, { fact: 'role', value: 'lwm2m-client', source: 'coap.lwm2m_register' });
    x.addText(requester, 'lwm2m_endpoint', 'lwm2m.endpoint', ev.lwm2m_endpoint);
    if (typeof ev.response_code === 'string' && ev.response_code.startsWith('2.01')) x.add(server, { fact: 'role', value: 'lwm2m-server', source: 'coap.lwm2m_register' });
  }
  // A registration's links are the registering device's objects; a /.well-known/core answer's the server's.
  const owner = typeof ev.lwm2m_endpoint === 'string' ? requester : server;
  if (Array.isArray(ev.resource_types)) {
    for (const rt of ev.resource_types.slice(0, MAX_COAP_RESOURCE_TYPES)) x.addText(owner, 'resource_type', 'coap.resource_type', rt);
  }
}

/** CID values client libraries fill in when they have nothing to say (JDBC thin: HOST=__jdbc__, PROGRAM=null). */
const ORACLE_PLACEHOLDER = /^(__jdbc__|null|unknown|localhost|)$/i;

/**
 * Oracle Net: the client's connect descriptor names its host and program (the CID section,
 * filled by the client library); a listener that answered is a database server, and a REFUSE
 * states its version (VSNNUM).
 */
export function oracleSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const client = x.side(true);
  const host = str(ev.client_host);
  if (host !== undefined && !ORACLE_PLACEHOLDER.test(host)) x.addText(client, 'hostname', 'oracle.client_host', host);
  const program = str(ev.program);
  if (program !== undefined && !ORACLE_PLACEHOLDER.test(program)) x.addText(client, 'software', 'oracle.program', program);
  x.add(client, { fact: 'role', value: 'oracle-client', source: 'oracle.connect' });
  if (ev.result === undefined) return;
  const server = x.side(false);
  x.add(server, { fact: 'role', value: 'oracle-db-server', source: `oracle.${String(ev.result)}` });
  const v = str(ev.server_version);
  if (v !== undefined) x.addText(server, 'software', 'oracle.vsnnum', `Oracle Database ${v}`);
}

/** Names that say nothing about the host (a client that did not set its name). */
const RPC_PLACEHOLDER = /^(localhost(\.localdomain)?|\(none\)|)$/i;

/**
 * ONC RPC: an AUTH_SYS credential carries the client's own name for itself (RFC 5531 Appendix A),
 * an NFSv4 client's owner string Linux fills with "Linux NFSv4.x <hostname>"; the host that
 * answered NFS or MOUNT calls serves files (nfs-server).
 */
export function rpcProgram(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const clientIsOrig = ev.client_is_orig !== false;
  const client = x.side(clientIsOrig);
  const name = str(ev.machine_name);
  if (name !== undefined && !RPC_PLACEHOLDER.test(name)) x.addText(client, 'hostname', 'rpc.machine_name', name);
  const owner = /^Linux NFSv4\.\d (\S+)$/.exec(str(ev.client_owner) ?? '');
  if (owner !== null && !RPC_PLACEHOLDER.test(owner[1])) x.addText(client, 'hostname', 'rpc.client_owner', owner[1]);
  const program = str(ev.program);
  if ((program === 'nfs' || program === 'mount') && typeof ev.replies === 'number' && ev.replies > 0) {
    x.add(x.side(!clientIsOrig), { fact: 'role', value: 'nfs-server', source: `rpc.${program}` });
    x.add(client, { fact: 'role', value: 'nfs-client', source: `rpc.${program}` });
  }
}

/**
 * XDMCP: the side that answered Willing or Accept is a display manager offering X logins (a
 * Unix host: gdm, lightdm, xdm), named by the host name it states; the side that sent a Request
 * is an X terminal or a workstation's remote display, described by its manufacturer's display id.
 */
export function xdmcpSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  if (typeof ev.manager_orig === 'boolean') {
    const dm = x.side(ev.manager_orig);
    x.add(dm, { fact: 'role', value: 'xdmcp-server', source: 'xdmcp.willing' });
    x.addText(dm, 'hostname', 'xdmcp.hostname', hostnameField(ev.hostname));
  }
  if (typeof ev.terminal_orig === 'boolean' && (ev.display_number !== undefined || ev.manufacturer_display_id !== undefined)) {
    const xt = x.side(ev.terminal_orig);
    x.add(xt, { fact: 'role', value: 'x-terminal', source: 'xdmcp.request' });
    x.addText(xt, 'model', 'xdmcp.manufacturer_display_id', ev.manufacturer_display_id);
  }
}

/**
 * A UPnP device description the device served (upnp.device): its device types (the root's and
 * its embedded devices', by their short names as SSDP gives them), manufacturer, model, model
 * number, serial and friendly name, with the HTTP answer as evidence.
 */
export function upnpDevice(x: ObserveCtx): void {
  const ev = x.ev;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'upnp', source: 'upnp' });
  const types = [ev.device_type, ...(Array.isArray(ev.embedded) ? ev.embedded : [])];
  for (const t of types) {
    const m = typeof t === 'string' ? /^urn:[^:]+:device:([^:]+):\d+$/i.exec(t) : null;
    if (m !== null) x.add(subject, { fact: 'upnp_device_type', value: m[1], source: 'upnp.device_type' });
  }
  x.addText(subject, 'manufacturer', 'upnp.manufacturer', ev.manufacturer);
  x.addText(subject, 'model', 'upnp.model_name', ev.model_name);
  x.addText(subject, 'model_number', 'upnp.model_number', ev.model_number);
  x.addText(subject, 'serial', 'upnp.serial', ev.serial);
  x.addText(subject, 'name', 'upnp.friendly_name', ev.friendly_name);
  // As for WS-Discovery's FriendlyName: one host-name label names the host; others are a name only.
  const friendly = str(ev.friendly_name);
  if (friendly !== undefined && HOST_LABEL.test(friendly)) x.addText(subject, 'hostname', 'upnp.friendly_name', friendly);
}

/**
 * The gateway that answered a port-mapping request: NAT-PMP or PCP (natpmp.transaction), or a
 * UPnP IGD WAN connection action (upnp.action). Only an Internet gateway (a router or firewall
 * doing NAT) runs these services.
 */
export function portMappingGateway(x: ObserveCtx): void {
  const ev = x.ev;
  let server: string | null = null;
  let source = '';
  if (ev.type === 'natpmp.transaction' && ev.answered === true) {
    server = str(ev.server) ?? null;
    source = 'natpmp.answer';
  } else if (ev.type === 'upnp.action' && ev.result === 'success' && typeof ev.service === 'string' && /:service:WAN(IP|PPP)Connection:/.test(ev.service)) {
    server = x.respIp();
    source = 'upnp.wan_connection';
  }
  const subject = ipSubject(server ?? undefined);
  if (subject === null) return;
  x.add(subject, { fact: 'role', value: 'port-mapping-gateway', source });
}
