// bacnet.log: one line per BACnet/IP message. Header fields as CISA's icsnpp-bacnet names them
// (bvlc_function, pdu_type, invoke_id, result_code; `service` for its pdu_service), the object
// and property a ReadProperty concerns, and the device identity of PRODUCT.md: device_instance,
// vendor_id, vendor_name, model_name, firmware (+ application_software_version, object_name …).
// A segmented message is logged once, at its first segment.
import type { LogMapper } from '../logs.js';
import { connFields, putSet } from '../connid.js';
import type { BacnetApdu } from './events.js';
import { REDACTED } from '../secret.js';

const bacnetLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as BacnetApdu;
  // A segmented message is one line, as icsnpp-bacnet logs it: the first segment's.
  if (ev.sequence_number !== undefined && ev.sequence_number > 0) return null;
  const rec = connFields(c, m);
  rec.is_orig = ev.is_orig;
  putSet(rec, {
    bvlc_function: ev.bvlc_function,
    forwarded_from: ev.forwarded_from,
    pdu_type: ev.pdu_type,
    service: ev.service,
    invoke_id: ev.invoke_id,
    result_code: ev.result_code,
    password: ev.password_sent ? REDACTED : undefined,
    segmented: ev.segmented,
    object_type: ev.object_type,
    instance_number: ev.instance_number,
    property: ev.property,
    properties: ev.properties,
    low_limit: ev.low_limit,
    high_limit: ev.high_limit,
    device_instance: ev.device_instance,
    vendor_id: ev.vendor_id,
    max_apdu: ev.max_apdu,
    segmentation: ev.segmentation,
    vendor_name: ev.vendor_name,
    model_name: ev.model_name,
    firmware: ev.firmware,
    application_software_version: ev.application_software_version,
    object_name: ev.object_name,
    description: ev.description,
    location: ev.location,
  });
  return { log: 'bacnet', record: rec };
};

export const BACNET_LOGS: Record<string, LogMapper> = { 'bacnet.message': bacnetLog };
