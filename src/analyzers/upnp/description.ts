// UPnP device descriptions (UPnP Device Architecture 2.0 §2.3): the XML document an SSDP
// LOCATION points to, which control points fetch with a plain HTTP GET. Its <device> names what
// the device is — deviceType, friendlyName, manufacturer, modelName, modelNumber, serialNumber,
// UDN, presentationURL — and lists its services and embedded devices. Printers, cameras, NAS
// boxes, televisions, routers and many IoT gateways publish one. Pure: bytes in, fields out; the
// XML scanner is the bounded one of wsd/xml.ts.
import { child, children, scanXml, type XmlElement } from '../wsd/xml.js';

/** UDA 1.0–2.0's device description namespace. */
export const UPNP_DEVICE_NS = 'urn:schemas-upnp-org:device-1-0';
/** Characters kept of a field. */
export const MAX_FIELD = 256;
/** Service types and embedded device types listed per description. */
export const MAX_LIST = 16;
/** Embedded devices followed (an IGD nests WANDevice → WANConnectionDevice), depth first. */
const MAX_DEVICES = 32;

export interface UpnpDescription {
  device_type?: string;
  friendly_name?: string;
  manufacturer?: string;
  manufacturer_url?: string;
  model_description?: string;
  model_name?: string;
  model_number?: string;
  model_url?: string;
  serial?: string;
  udn?: string;
  presentation_url?: string;
  /** Service types of the root device and its embedded devices, in document order, deduplicated. */
  services?: string[];
  /** Device types of the embedded devices. */
  embedded?: string[];
  truncated: boolean;
}

const decoder = new TextDecoder('utf-8');

const FIELDS: readonly (readonly [string, keyof UpnpDescription])[] = [
  ['deviceType', 'device_type'],
  ['friendlyName', 'friendly_name'],
  ['manufacturer', 'manufacturer'],
  ['manufacturerURL', 'manufacturer_url'],
  ['modelDescription', 'model_description'],
  ['modelName', 'model_name'],
  ['modelNumber', 'model_number'],
  ['modelURL', 'model_url'],
  ['serialNumber', 'serial'],
  ['UDN', 'udn'],
  ['presentationURL', 'presentation_url'],
];

function text(els: readonly XmlElement[], i: number): string | undefined {
  if (i < 0) return undefined;
  const t = els[i].text.trim();
  return t === '' ? undefined : t.slice(0, MAX_FIELD);
}

/** Whether the first bytes of a body look like a device description (the root element's namespace appears early). */
export function looksLikeDescription(buf: Uint8Array, off: number, len: number): boolean {
  const head = Buffer.from(buf.buffer, buf.byteOffset + off, Math.min(len, 1024)).toString('latin1');
  return head.includes(UPNP_DEVICE_NS);
}

/** Parses a device description; null when the body is no UPnP device description. */
export function parseUpnpDescription(buf: Uint8Array, off: number, len: number): UpnpDescription | null {
  const doc = scanXml(decoder.decode(buf.subarray(off, off + len)));
  if (doc === 'bad') return null;
  const els = doc.elements;
  if (els.length === 0 || els[0].local !== 'root' || els[0].ns !== UPNP_DEVICE_NS) return null;
  const root = child(els, 0, [UPNP_DEVICE_NS], 'device');
  const d: UpnpDescription = { truncated: doc.truncated };
  if (root < 0) return d;
  for (const [local, key] of FIELDS) {
    const v = text(els, child(els, root, [UPNP_DEVICE_NS], local));
    if (v !== undefined) (d as unknown as Record<string, string>)[key] = v;
  }
  // The root device's services and those of its embedded devices, depth first.
  const services: string[] = [];
  const embedded: string[] = [];
  const stack = [root];
  for (let seen = 0; stack.length > 0 && seen < MAX_DEVICES; seen++) {
    const dev = stack.pop()!;
    if (dev !== root) {
      const t = text(els, child(els, dev, [UPNP_DEVICE_NS], 'deviceType'));
      if (t !== undefined && embedded.length < MAX_LIST && !embedded.includes(t)) embedded.push(t);
    }
    const sl = child(els, dev, [UPNP_DEVICE_NS], 'serviceList');
    if (sl >= 0) {
      for (const s of children(els, sl)) {
        const t = text(els, child(els, s, [UPNP_DEVICE_NS], 'serviceType'));
        if (t !== undefined && services.length < MAX_LIST && !services.includes(t)) services.push(t);
      }
    }
    const dl = child(els, dev, [UPNP_DEVICE_NS], 'deviceList');
    if (dl >= 0) {
      const subs = children(els, dl).filter((k) => els[k].local === 'device' && els[k].ns === UPNP_DEVICE_NS);
      for (let k = subs.length - 1; k >= 0; k--) stack.push(subs[k]);
    }
  }
  if (services.length > 0) d.services = services;
  if (embedded.length > 0) d.embedded = embedded;
  return d;
}
