// upnp.log (wardline's own; Zeek has none): one line per UPnP control action and its answer —
// the control URL, service type, action, result, the UPnP error, and for port mappings and
// pinholes the mapping (remote host and port, external port, protocol, internal client and port,
// enabled, description, lease), the port AddAnyPortMapping reserved and the external address
// GetExternalIPAddress gave; other arguments by name only. upnp_device.log: the device
// descriptions fetched (UDA §2.3): type, friendly name, manufacturer, model, serial, UDN, services.
import { connHeader, putSet } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { UpnpActionEvent, UpnpDeviceEvent } from './events.js';

const action: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as UpnpActionEvent;
  const rec = connHeader(c, ev.tsSec, ev.tsNsec);
  putSet(rec, { uri: ev.uri, service: ev.service });
  rec.action = ev.action;
  rec.result = ev.result;
  putSet(rec, {
    status_code: ev.status_code,
    error_code: ev.error_code,
    error_description: ev.error_description,
    remote_host: ev.remote_host,
    remote_port: ev.remote_port,
    external_port: ev.external_port,
    protocol: ev.protocol,
    internal_client: ev.internal_client,
    internal_port: ev.internal_port,
    enabled: ev.enabled,
    description: ev.description,
    lease_duration: ev.lease_duration,
    reserved_port: ev.reserved_port,
    external_ip: ev.external_ip,
    pinhole_id: ev.pinhole_id,
    arguments: ev.arguments,
  });
  return { log: 'upnp', record: rec };
};

const DEVICE_FIELDS = ['uri', 'device_type', 'friendly_name', 'manufacturer', 'manufacturer_url', 'model_description', 'model_name', 'model_number', 'model_url', 'serial', 'udn', 'presentation_url', 'services', 'embedded'] as const;

/** upnp_device.log: one line per device description fetched, with what it says the device is. */
const device: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as UpnpDeviceEvent;
  const rec = connHeader(c, ev.tsSec, ev.tsNsec);
  const f: Record<string, unknown> = {};
  for (const k of DEVICE_FIELDS) f[k] = ev[k];
  putSet(rec, f);
  return { log: 'upnp_device', record: rec };
};

export const UPNP_LOGS: Record<string, LogMapper> = { 'upnp.action': action, 'upnp.device': device };
