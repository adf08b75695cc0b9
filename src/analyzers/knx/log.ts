// knx.log: one line per KNXnet/IP message (wardline's; Zeek has no KNX analyzer), with the
// device description of search and description responses and the cEMI telegram of tunnelling
// requests and routing indications. Tunnelling acknowledgements and connection-state polls
// (every 60 s per tunnel) are not logged.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { Cemi, DeviceInfo } from './parse.js';

const QUIET = new Set(['tunnelling_ack', 'connectionstate_request', 'connectionstate_response', 'device_configuration_ack']);

const message: LogMapper = (ev, c, m) => {
  if (c === null || QUIET.has(String(ev.service))) return null;
  const r = connHeader(c, m.tsSec, m.tsNsec);
  r.is_orig = ev.is_orig;
  r.service = ev.service;
  if (ev.channel !== undefined) r.channel = ev.channel;
  if (ev.endpoint !== undefined) r.endpoint = ev.endpoint;
  if (ev.connection_type !== undefined) r.connection_type = ev.connection_type;
  const d = ev.device as DeviceInfo | undefined;
  if (d !== undefined) {
    r.knx_address = d.knx_address;
    r.medium = d.medium;
    r.serial = d.serial;
    r.mac = d.mac;
    if (d.friendly_name !== undefined) r.friendly_name = d.friendly_name;
    r.prog_mode = d.prog_mode;
    if (d.families !== undefined) r.families = d.families;
    if (d.manufacturer_id !== undefined) r.manufacturer_id = d.manufacturer_id;
  }
  const e = ev.cemi as Cemi | undefined;
  if (e !== undefined) {
    r.cemi = e.code;
    if (e.src !== undefined) r.src = e.src;
    if (e.dst !== undefined) r.dst = e.dst;
    if (e.apci !== undefined) r.apci = e.apci;
  }
  if (ev.command === true) r.command = true;
  return { log: 'knx', record: r };
};

export const KNX_LOGS: Record<string, LogMapper> = { 'knx.message': message };
