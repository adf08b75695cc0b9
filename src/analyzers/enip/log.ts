// enip.log: one line per encapsulation message. PRODUCT.md's fields (command, vendor,
// device_type, product_code, revision, product_name) plus the header fields as CISA's
// icsnpp-enip logs them, and the first CIP message's service, class and status. A ListIdentity
// reply with several identity items gives one line per item.
import type { LogMapper } from '../logs.js';
import { connFields, origHost, putSet, respHost } from '../connid.js';
import { hex } from './names.js';
import type { CipIoEvent, EnipEvent } from './events.js';

const enipLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as EnipEvent;
  const rec = connFields(c, m);
  rec.is_orig = ev.is_orig;
  rec.command_code = hex(ev.command_code, 2);
  rec.command = ev.command;
  rec.length = ev.length;
  rec.session_handle = ev.session_handle;
  rec.status = ev.status;
  rec.sender_context = ev.sender_context;
  rec.options = ev.options;
  const cip = ev.cip;
  if (cip !== undefined) {
    putSet(rec, {
      cip_service_code: hex(cip.service_code, 2),
      cip_service: cip.service,
      cip_class_id: cip.class_id === undefined ? undefined : hex(cip.class_id, 2),
      cip_class: cip.class_name,
      cip_instance_id: cip.instance_id === undefined ? undefined : hex(cip.instance_id, 2),
      cip_status: cip.status,
      cip_sequence: cip.sequence,
      cip_embedded_services: cip.embedded,
    });
  }
  const ids = ev.identities;
  if (ids === undefined || ids.length === 0) return { log: 'enip', record: rec };
  // LogMapper returns one record; several identity items share the line's header fields.
  const id = ids[0];
  putSet(rec, { ...id });
  if (ids.length > 1) rec.more_identities = ids.slice(1).map((x) => `${x.socket_address} ${x.product_name}`);
  return { log: 'enip', record: rec };
};

/** cip_io.log: icsnpp-enip's fields; source and destination are the datagram's own. */
const cipIoLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as CipIoEvent;
  const rec = connFields(c, m);
  const o = origHost(c);
  const r = respHost(c);
  rec.is_orig = ev.is_orig;
  rec.source_h = ev.is_orig ? o : r;
  rec.source_p = ev.is_orig ? c.oPort : c.rPort;
  rec.destination_h = ev.is_orig ? r : o;
  rec.destination_p = ev.is_orig ? c.rPort : c.oPort;
  rec.connection_id = hex(ev.connection_id, 8);
  rec.sequence_number = ev.sequence_number;
  rec.data_length = ev.data_length;
  rec.io_data = ev.io_data;
  return { log: 'cip_io', record: rec };
};

export const ENIP_LOGS: Record<string, LogMapper> = { 'enip.message': enipLog, 'enip.cip_io': cipIoLog };
