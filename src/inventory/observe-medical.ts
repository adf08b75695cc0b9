// Clinical protocols: DICOM associations (PS3.7 §D.3.3, PS3.8 §9.3: AE titles, proposed SOP
// classes → the roles of requester and acceptor, implementation class UID and version) and HL7
// v2 messages (MSH-3/4 sending application and facility, MSH-9 type, PRT/OBX device ids).
import { ipSubject, str, type ObserveCtx } from './observe-ctx.js';
import { dicomClaim } from './os-parse.js';

/** DICOM service roles by SOP class name (PS3.4 Annex B storage, C query/retrieve, K worklist). */
export function dicomRoles(sopClasses: readonly string[]): { scu: string[]; scp: string[] } {
  const scu = new Set<string>();
  const scp = new Set<string>();
  // A C-GET requester proposes storage classes for the images it will receive (PS3.4 C.4.3,
  // SCP/SCU role selection): that is retrieval, not a modality sending its acquisitions.
  const getting = sopClasses.some((n) => /Query\/Retrieve.*- GET$/.test(n));
  for (const n of sopClasses) {
    if (/Storage$/.test(n) || /Image Storage/.test(n)) {
      scu.add(getting ? 'get-storage-scu' : 'storage-scu');
      scp.add(getting ? 'get-storage-scp' : 'storage-scp');
    } else if (/Modality Worklist/.test(n)) {
      scu.add('worklist-scu');
      scp.add('worklist-scp');
    } else if (/Query\/Retrieve/.test(n)) {
      const kind = /- FIND$/.test(n) ? 'query' : 'retrieve';
      scu.add(`${kind}-scu`);
      scp.add(`${kind}-scp`);
    } else if (/Performed Procedure Step/.test(n)) {
      scu.add('mpps-scu');
      scp.add('mpps-scp');
    } else if (/Print|Film/.test(n)) {
      scu.add('print-scu');
      scp.add('print-scp');
    } else if (/Storage Commitment/.test(n)) {
      scu.add('commitment-scu');
      scp.add('commitment-scp');
    } else if (n === 'Verification') {
      scu.add('verification-scu');
      scp.add('verification-scp');
    }
  }
  return { scu: [...scu].sort(), scp: [...scp].sort() };
}

export function dicomAssociate(x: ObserveCtx): void {
  const ev = x.ev;
  const scu = ipSubject(ev.scu);
  const scp = ipSubject(ev.scp);
  const sop = Array.isArray(ev.sop_classes) ? ev.sop_classes.filter((s): s is string => typeof s === 'string') : [];
  const roles = dicomRoles(sop);
  if (scu !== null) {
    x.add(scu, { fact: 'protocol', value: 'dicom', source: 'dicom' });
    x.addText(scu, 'ae_title', 'dicom.calling_ae', str(ev.calling_ae)?.trim());
    for (const r of roles.scu) x.add(scu, { fact: 'role', value: r, source: 'dicom.role' });
    if (Array.isArray(ev.modalities)) for (const m of ev.modalities) if (typeof m === 'string') x.add(scu, { fact: 'modality', value: m, source: roles.scu.includes('storage-scu') ? 'dicom.modality' : 'dicom.retrieved_modality' });
    for (const s of sop) x.add(scu, { fact: 'sop_class', value: s, source: 'dicom.sop_class' });
    implementation(x, scu, str(ev.scu_implementation_class_uid), str(ev.scu_implementation_version));
  }
  if (scp !== null) {
    x.add(scp, { fact: 'protocol', value: 'dicom', source: 'dicom' });
    x.addText(scp, 'ae_title', 'dicom.called_ae', str(ev.called_ae)?.trim());
    if (ev.accepted === true) for (const r of roles.scp) x.add(scp, { fact: 'role', value: r, source: 'dicom.role' });
    implementation(x, scp, str(ev.scp_implementation_class_uid), str(ev.scp_implementation_version));
  }
}

function implementation(x: ObserveCtx, subject: string, uid: string | undefined, version: string | undefined): void {
  if (uid !== undefined) x.add(subject, { fact: 'implementation_class_uid', value: uid, source: 'dicom.implementation_class_uid' });
  x.addText(subject, 'software', 'dicom.implementation_version', version, true, dicomClaim);
}

export function hl7Message(x: ObserveCtx): void {
  const ev = x.ev;
  const senderIp = str(ev.sender);
  const sender = ipSubject(senderIp);
  if (sender === null) return;
  const type = str(ev.message_type) ?? '';
  const isAck = /^ACK\b/.test(type);
  x.add(sender, { fact: 'protocol', value: 'hl7', source: 'hl7' });
  // Through a message broker (AMQP) the broker relays: what it delivers names the publishing
  // application, not the broker, and what it is sent names the consuming one.
  const relayed = ev.transport === 'amqp';
  if (relayed && ev.relayed === true) {
    relayedTo(x, sender, senderIp, ev);
    return;
  }
  x.addText(sender, 'application', 'hl7.sending_application', str(ev.sending_application)?.trim());
  x.addText(sender, 'facility', 'hl7.sending_facility', str(ev.sending_facility)?.trim());
  x.add(sender, { fact: 'role', value: isAck ? 'hl7-receiver' : 'hl7-sender', source: 'hl7.msh' });
  if (type !== '' && !isAck) x.add(sender, { fact: 'message_type', value: type, source: 'hl7.message_type' });
  if (Array.isArray(ev.device_ids)) for (const d of ev.device_ids) if (typeof d === 'string') x.add(sender, { fact: 'udi', value: d, source: 'hl7.device_id' });
  if (x.c === null || isAck) return;
  const orig = x.origIp();
  const receiver = ipSubject(orig === senderIp ? x.respIp() : orig);
  if (receiver === null || receiver === sender) return;
  x.add(receiver, { fact: 'protocol', value: 'hl7', source: 'hl7' });
  if (relayed) return;
  hl7Receiver(x, receiver, ev);
}

function hl7Receiver(x: ObserveCtx, receiver: string, ev: ObserveCtx['ev']): void {
  x.add(receiver, { fact: 'role', value: 'hl7-receiver', source: 'hl7.msh' });
  x.addText(receiver, 'application', 'hl7.receiving_application', str(ev.receiving_application)?.trim(), false);
  x.addText(receiver, 'facility', 'hl7.receiving_facility', str(ev.receiving_facility)?.trim(), false);
}

/** A broker delivered an HL7 message: the consumer (the other side) is its receiving application. */
function relayedTo(x: ObserveCtx, broker: string, brokerIp: string | undefined, ev: ObserveCtx['ev']): void {
  if (x.c === null || /^ACK\b/.test(str(ev.message_type) ?? '')) return;
  const orig = x.origIp();
  const consumer = ipSubject(orig === brokerIp ? x.respIp() : orig);
  if (consumer === null || consumer === broker) return;
  x.add(consumer, { fact: 'protocol', value: 'hl7', source: 'hl7' });
  hl7Receiver(x, consumer, ev);
}

/**
 * ASTM (LIS01/LIS02): the side that sends results or asks for its orders (a host query) is the
 * instrument; the side that sends orders alone is the laboratory information system.
 */
export function astmMessage(x: ObserveCtx): void {
  const ev = x.ev;
  const senderIp = str(ev.sender);
  const sender = ipSubject(senderIp);
  if (sender === null) return;
  const results = typeof ev.results === 'number' ? ev.results : 0;
  const queries = typeof ev.queries === 'number' ? ev.queries : 0;
  const orders = typeof ev.orders === 'number' ? ev.orders : 0;
  const role = results > 0 || queries > 0 ? 'astm-instrument' : orders > 0 ? 'astm-lis' : null;
  x.add(sender, { fact: 'protocol', value: 'astm', source: 'astm' });
  x.addText(sender, 'application', 'astm.sender_id', str(ev.sender_id)?.trim());
  if (role !== null) x.add(sender, { fact: 'role', value: role, source: 'astm.records' });
  if (x.c === null || role === null) return;
  const orig = x.origIp();
  const receiver = ipSubject(orig === senderIp ? x.respIp() : orig);
  if (receiver === null || receiver === sender) return;
  x.add(receiver, { fact: 'protocol', value: 'astm', source: 'astm' });
  x.add(receiver, { fact: 'role', value: role === 'astm-instrument' ? 'astm-lis' : 'astm-instrument', source: 'astm.records' });
  x.addText(receiver, 'application', 'astm.receiver_id', str(ev.receiver_id)?.trim(), false);
}

/** POCT1-A messages only a point-of-care device sends (hello, status, observations, events). */
const POCT_DEVICE_MESSAGES = /^(HEL|DST|OBS|EVS|EOT)\.R\d\d$/;

/**
 * POCT1-A (CLSI POCT01-A2): the sender of a hello, status or observations is a point-of-care
 * device, whose hello names it (DEV.*); the other side is the POC data manager.
 */
export function poct1aMessage(x: ObserveCtx): void {
  const ev = x.ev;
  const senderIp = str(ev.sender);
  const sender = ipSubject(senderIp);
  const type = str(ev.message_type);
  if (sender === null || type === undefined || !POCT_DEVICE_MESSAGES.test(type)) return;
  x.add(sender, { fact: 'protocol', value: 'poct1a', source: 'poct1a' });
  x.add(sender, { fact: 'role', value: 'poct-device', source: 'poct1a.message_type' });
  x.addText(sender, 'manufacturer', 'poct1a.manufacturer_name', ev.manufacturer_name);
  x.addText(sender, 'vendor_code', 'poct1a.vendor_id', ev.vendor_id);
  x.addText(sender, 'model', 'poct1a.model_id', ev.model_id);
  x.addText(sender, 'serial', 'poct1a.serial_id', ev.serial_id);
  x.addText(sender, 'device_name', 'poct1a.device_name', ev.device_name);
  const sw = str(ev.sw_version);
  const model = str(ev.model_id);
  if (sw !== undefined) x.addText(sender, 'software', 'poct1a.sw_version', model !== undefined ? `${model} ${sw}` : sw);
  if (x.c === null) return;
  const orig = x.origIp();
  const receiver = ipSubject(orig === senderIp ? x.respIp() : orig);
  if (receiver === null || receiver === sender) return;
  x.add(receiver, { fact: 'protocol', value: 'poct1a', source: 'poct1a' });
  x.add(receiver, { fact: 'role', value: 'poct-data-manager', source: 'poct1a.message_type' });
}

/**
 * IntelliVue Data Export: the device that announced itself (Connect Indication) or created its
 * MDS for an association names its manufacturer, model number, serial, software revision and
 * system type (monitor, pump, ventilator …).
 */
export function intellivueIdentity(x: ObserveCtx): void {
  const ev = x.ev;
  const sender = ipSubject(str(ev.sender));
  if (sender === null) return;
  x.add(sender, { fact: 'protocol', value: 'intellivue', source: 'intellivue' });
  x.add(sender, { fact: 'role', value: 'intellivue-device', source: `intellivue.${String(ev.source)}` });
  x.addText(sender, 'manufacturer', 'intellivue.manufacturer', ev.manufacturer);
  x.addText(sender, 'model', 'intellivue.model', ev.model);
  x.addText(sender, 'serial', 'intellivue.serial', ev.serial);
  x.addText(sender, 'device_type', 'intellivue.system_type', ev.system_type);
  x.addText(sender, 'location', 'intellivue.bed_label', ev.bed_label);
  const sw = str(ev.software_revision);
  const model = str(ev.model);
  if (sw !== undefined) x.addText(sender, 'software', 'intellivue.software_revision', model !== undefined ? `${model} ${sw}` : sw);
}

/** The side that associated with a monitor's data export reads its vital signs (a central station or data gateway). */
export function intellivueAssociation(x: ObserveCtx): void {
  const ev = x.ev;
  const client = ipSubject(str(ev.client));
  const server = ipSubject(str(ev.server));
  if (server !== null) x.add(server, { fact: 'protocol', value: 'intellivue', source: 'intellivue' });
  if (client === null) return;
  x.add(client, { fact: 'protocol', value: 'intellivue', source: 'intellivue' });
  x.add(client, { fact: 'role', value: 'intellivue-client', source: 'intellivue.association' });
}
