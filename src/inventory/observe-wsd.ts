// WS-Discovery and DPWS metadata (wsd.message events): the device that announces itself (Hello),
// answers a search (ProbeMatches, ResolveMatches) or serves its metadata (a GetResponse) is
// described by what it sent: its Types (resolved QNames, "{namespace}local"), ONVIF scopes
// (ONVIF Core §7.3.2.2: hardware → model, name, location), IEEE 11073-20701 SDC scopes (the
// location context, participant key purposes), DPWS ThisModel/ThisDevice, and the PnP-X
// Computer relationship (the host's NetBIOS-style name and its workgroup or domain), and an ONVIF
// device's GetDeviceInformationResponse (manufacturer, model, firmware, serial) in HTTP.
// Probes, Resolves and Byes say nothing new about their sender.
import { onvifScopes, sdcScopes } from '../analyzers/wsd/parse.js';
import { ipSubject, str, type ObserveCtx } from './observe-ctx.js';

const DESCRIBING = new Set(['hello', 'probe_matches', 'resolve_matches', 'get_response', 'onvif_device_information']);
/** A FriendlyName that is one host-name label (RFC 1123 §2.1) names the host; others ("WSD Device X", "HP LaserJet (10.0.0.5)") are a name only. */
export const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function wsdMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (!DESCRIBING.has(String(ev.action))) return;
  const subject = ipSubject(ev.host);
  if (subject === null) return;
  if (ev.action === 'onvif_device_information') {
    // The answer of an ONVIF device (camera, encoder, video recorder) to GetDeviceInformation.
    x.add(subject, { fact: 'protocol', value: 'onvif', source: 'wsd' });
    x.add(subject, { fact: 'role', value: 'onvif-device', source: 'wsd.onvif_device_information' });
    x.addText(subject, 'hardware_id', 'wsd.onvif_hardware_id', ev.hardware_id);
  } else x.add(subject, { fact: 'protocol', value: 'wsd', source: 'wsd' });
  x.addText(subject, 'wsd_endpoint', 'wsd.endpoint', ev.endpoint);
  if (Array.isArray(ev.type_names)) for (const t of ev.type_names) x.addText(subject, 'wsd_type', 'wsd.type', t);
  if (Array.isArray(ev.scopes)) {
    const scopes = ev.scopes.filter((s): s is string => typeof s === 'string');
    const o = onvifScopes(scopes);
    x.addText(subject, 'model', 'wsd.onvif_hardware', o.hardware);
    x.addText(subject, 'name', 'wsd.onvif_name', o.name);
    x.addText(subject, 'location', 'wsd.onvif_location', o.location);
    for (const t of o.types ?? []) x.addText(subject, 'onvif_type', 'wsd.onvif_type', t);
    const s = sdcScopes(scopes);
    x.addText(subject, 'location', 'wsd.sdc_location', s.location);
    for (const p of s.pkp ?? []) x.addText(subject, 'sdc_pkp', 'wsd.sdc_pkp', p);
  }
  x.addText(subject, 'manufacturer', 'wsd.manufacturer', ev.manufacturer);
  x.addText(subject, 'model', 'wsd.model_name', ev.model_name);
  x.addText(subject, 'model_number', 'wsd.model_number', ev.model_number);
  x.addText(subject, 'firmware', 'wsd.firmware', ev.firmware);
  x.addText(subject, 'serial', 'wsd.serial', ev.serial);
  x.addText(subject, 'pnpx_category', 'wsd.device_category', ev.device_category);
  const friendly = str(ev.friendly_name);
  x.addText(subject, 'name', 'wsd.friendly_name', friendly);
  if (friendly !== undefined && HOST_LABEL.test(friendly)) x.addText(subject, 'hostname', 'wsd.friendly_name', friendly);
  x.addText(subject, 'hostname', 'wsd.computer', ev.computer);
  x.addText(subject, 'workgroup', 'wsd.workgroup', ev.workgroup);
  x.addText(subject, 'domain', 'wsd.domain', ev.domain);
}
