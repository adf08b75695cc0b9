// Industrial and building protocols that state a device's identity: EtherNet/IP ListIdentity
// (CIP Vol 2 §2-4.3: vendor id, device type, product code, revision, serial, product name),
// BACnet device object properties (ASHRAE 135 §12.11: vendor, model, firmware), Modbus Read
// Device Identification (Modbus Application Protocol v1.1b3 §6.21) and S7comm SZL identity.
// IEC 60870-5-104 states no identity, but what a station sends shows its role: only a controlled
// station (outstation, RTU/IED) sends monitor-direction ASDUs, confirmations and STARTDT con.
// Likewise DNP3 (IEEE 1815 §4.2.2.5): only an outstation answers with a response function code
// and internal indications, whichever side opened the connection and on whatever port.
// An OPC UA server (OPC 10000-4 §7.2 ApplicationDescription, in GetEndpoints, FindServers and
// CreateSession answers over a SecurityPolicy None channel) states its ApplicationUri, ProductUri
// and ApplicationName; the responder is the server unless it opened the connection (ReverseHello).
import { ipSubject, num, str, type ObserveCtx } from './observe-ctx.js';

interface Identity {
  vendor?: unknown;
  device_type?: unknown;
  product_code?: unknown;
  revision?: unknown;
  serial_number?: unknown;
  product_name?: unknown;
  socket_address?: unknown;
}

export function enipMessage(x: ObserveCtx): void {
  const ev = x.ev;
  const ids = ev.identities;
  if (!Array.isArray(ids) || x.c === null) return;
  const sender = x.side(ev.is_orig === true);
  for (const id of ids as Identity[]) {
    // The identity item carries the device's own socket address; the packet's sender is the same device.
    const sock = str(id.socket_address);
    const subject = sock !== undefined && sock !== '0.0.0.0' ? ipSubject(sock) ?? sender : sender;
    if (subject === null) continue;
    x.add(subject, { fact: 'protocol', value: 'enip', source: 'enip' });
    const vendor = num(id.vendor);
    if (vendor !== undefined) x.add(subject, { fact: 'vendor_id', value: String(vendor), source: 'enip.vendor_id' });
    x.addText(subject, 'device_type', 'enip.device_type', id.device_type);
    const code = num(id.product_code);
    if (code !== undefined) x.add(subject, { fact: 'product_code', value: String(code), source: 'enip.product_code' });
    x.addText(subject, 'model', 'enip.product_name', str(id.product_name)?.trim());
    x.addText(subject, 'firmware', 'enip.revision', id.revision);
    x.addText(subject, 'serial', 'enip.serial_number', id.serial_number);
  }
}

export function bacnetMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const subject = ipSubject(str(ev.forwarded_from)?.replace(/:\d+$/, '')) ?? x.side(ev.is_orig === true);
  if (subject === null) return;
  const hasIdentity = ev.vendor_name !== undefined || ev.model_name !== undefined || ev.vendor_id !== undefined || ev.device_instance !== undefined;
  if (!hasIdentity && ev.service !== 'i-am') return;
  x.add(subject, { fact: 'protocol', value: 'bacnet', source: 'bacnet' });
  x.add(subject, { fact: 'role', value: 'bacnet-device', source: ev.service === 'i-am' ? 'bacnet.i_am' : 'bacnet.device_object' });
  x.addText(subject, 'manufacturer', 'bacnet.vendor_name', ev.vendor_name);
  const vid = num(ev.vendor_id);
  if (vid !== undefined) x.add(subject, { fact: 'vendor_id', value: String(vid), source: 'bacnet.vendor_id' });
  x.addText(subject, 'model', 'bacnet.model_name', ev.model_name);
  x.addText(subject, 'firmware', 'bacnet.firmware', ev.firmware);
  x.addText(subject, 'software', 'bacnet.application_software_version', ev.application_software_version);
  x.addText(subject, 'name', 'bacnet.object_name', ev.object_name);
  const inst = num(ev.device_instance);
  if (inst !== undefined) x.add(subject, { fact: 'device_instance', value: String(inst), source: 'bacnet.device_instance' });
}

/**
 * KNXnet/IP: a search or description response describes its sender (a KNX IP router or
 * interface: KNX address, serial number, friendly name); a routing indication's sender is a
 * KNX IP router too. Clients (ETS, a building-management server) only ask.
 */
export function knxMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const d = ev.device as { knx_address?: string; serial?: string; friendly_name?: string; mac?: string } | undefined;
  if (d === undefined && ev.service !== 'routing_indication') return;
  const subject = x.side(ev.is_orig === true);
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'knxnetip', source: 'knx' });
  x.add(subject, { fact: 'role', value: 'knx-ip-device', source: d !== undefined ? `knx.${String(ev.service)}` : 'knx.routing_indication' });
  if (d === undefined) return;
  x.addText(subject, 'name', 'knx.friendly_name', d.friendly_name);
  x.addText(subject, 'serial', 'knx.serial_number', d.serial);
  x.addText(subject, 'knx_address', 'knx.individual_address', d.knx_address);
}

export function modbusMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.is_orig === true) return;
  const subject = x.side(false);
  if (subject === null) return;
  x.add(subject, { fact: 'role', value: 'modbus-server', source: 'modbus.response' });
  const id = ev.device_id as { objects?: Record<string, unknown> } | undefined;
  const o = id?.objects;
  if (o === undefined || o === null) return;
  x.addText(subject, 'manufacturer', 'modbus.vendor_name', o.vendor_name);
  x.addText(subject, 'model', 'modbus.product_name', o.product_name);
  x.addText(subject, 'model', 'modbus.model_name', o.model_name);
  x.addText(subject, 'product_code', 'modbus.product_code', o.product_code);
  x.addText(subject, 'firmware', 'modbus.revision', o.revision);
}

export function s7commMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.is_orig === true) return;
  const subject = x.side(false);
  if (subject === null) return;
  x.add(subject, { fact: 'role', value: 's7-plc', source: 's7comm.response' });
  x.addText(subject, 'model', 's7comm.order_number', str(ev.order_number)?.trim());
  x.addText(subject, 'model', 's7comm.module_name', str(ev.module_name)?.trim());
  x.addText(subject, 'name', 's7comm.plc_name', str(ev.plc_name)?.trim());
  x.addText(subject, 'firmware', 's7comm.firmware', ev.firmware);
  x.addText(subject, 'serial', 's7comm.serial', ev.serial);
}

export function iec104Apdu(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || ev.outstation !== true) return;
  const subject = x.side(ev.is_orig === true);
  if (subject === null) return;
  x.add(subject, { fact: 'role', value: 'iec104-outstation', source: 'iec104.monitor_direction' });
}

export function dnp3Transaction(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || (ev.outstation !== 'orig' && ev.outstation !== 'resp')) return;
  const subject = x.side(ev.outstation === 'orig');
  if (subject === null) return;
  x.add(subject, { fact: 'role', value: 'dnp3-outstation', source: 'dnp3.response' });
  const addr = num(ev.outstation_addr);
  if (addr !== undefined) x.add(subject, { fact: 'dnp3_address', value: String(addr), source: 'dnp3.link_source' });
}

export function opcuaSession(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null) return;
  const types = Array.isArray(ev.msg_types) ? (ev.msg_types as unknown[]) : [];
  // A server answers (ACK, or a service response seen as its ApplicationDescription); a Hello alone proves nothing.
  const answered = types.includes('ACK') || types.includes('RHE') || ev.application_uri !== undefined;
  if (!answered) return;
  const subject = x.side(ev.server_is_orig === true);
  if (subject === null) return;
  x.add(subject, { fact: 'protocol', value: 'opcua', source: 'opcua' });
  x.add(subject, { fact: 'role', value: 'opcua-server', source: types.includes('ACK') ? 'opcua.acknowledge' : 'opcua.application_description' });
  x.addText(subject, 'opcua.application_uri', 'opcua.application_uri', ev.application_uri);
  x.addText(subject, 'opcua.product_uri', 'opcua.product_uri', ev.product_uri);
  x.addText(subject, 'opcua.application_name', 'opcua.application_name', ev.application_name);
}
