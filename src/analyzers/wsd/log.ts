// wsd.log (wardline's own): one line per WS-Discovery message or match, and per DPWS metadata
// answer: ts uid id.* action message_id relates_to endpoint types scopes xaddrs
// metadata_version, then the metadata fields (manufacturer model_name model_number
// friendly_name firmware serial hardware_id computer workgroup domain); ONVIF's
// GetDeviceInformationResponse (action onvif_device_information) fills them too. A serial number identifies a device;
// it is no secret and is logged.
import type { LogMapper } from '../logs.js';
import { connHeader, putSet } from '../connid.js';
import type { WsdEvent } from './events.js';

const wsdLog: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as WsdEvent;
  const rec = connHeader(c, ev.tsSec, ev.tsNsec);
  rec.is_orig = ev.is_orig;
  rec.action = ev.action;
  putSet(rec, {
    message_id: ev.message_id,
    relates_to: ev.relates_to,
    endpoint: ev.endpoint,
    types: ev.types,
    scopes: ev.scopes,
    xaddrs: ev.xaddrs,
    metadata_version: ev.metadata_version,
    manufacturer: ev.manufacturer,
    model_name: ev.model_name,
    model_number: ev.model_number,
    friendly_name: ev.friendly_name,
    firmware: ev.firmware,
    serial: ev.serial,
    hardware_id: ev.hardware_id,
    device_category: ev.device_category,
    computer: ev.computer,
    workgroup: ev.workgroup,
    domain: ev.domain,
  });
  return { log: 'wsd', record: rec };
};

export const WSD_LOGS: Record<string, LogMapper> = { 'wsd.message': wsdLog };
