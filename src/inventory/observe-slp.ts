// SLP in the inventory: the service or directory agent of an exchange (the sender of a SrvReg,
// or of a SrvRply, AttrRply, SrvTypeRply, DAAdvert or SAAdvert that answered a request or came
// from port 427) is an `slp-agent`, described by the services its URLs name and the identity
// attributes it states (ESXi's product, a printer's IEEE 1284 device id and host name).
import { deviceIdField } from '../analyzers/ipp/parse.js';
import { ownUrls, urlHost, urlServiceType } from '../analyzers/slp/parse.js';
import type { OsClaim } from './facts.js';
import type { ObserveCtx } from './observe-ctx.js';
import { hostnameField, isDnsName } from './observe-names.js';

/** A product attribute as ESXi states it: "VMware ESXi 6.7.0 build-17167734". */
const ESXI_PRODUCT = /^VMware ESXi (\d+(?:\.\d+)*)(?: build-(\d+))?$/;
/** What ESXi's own account of its release is worth: as much as an SNMP sysDescr. */
const CONF_SLP_PRODUCT = 0.7;

/** Abstract service types → the role they give their agent. */
const ROLES: readonly [RegExp, string][] = [
  [/^service:vmwareinfrastructure$/i, 'esxi-host'],
  [/^service:directory-agent$/i, 'slp-directory-agent'],
];

export function esxiOsClaim(product: string): OsClaim | null {
  const m = ESXI_PRODUCT.exec(product);
  return m === null ? null : { name: 'VMware ESXi', version: m[1], family: 'VMware ESXi', confidence: CONF_SLP_PRODUCT };
}

/** The one host name the agent's own URLs name, when it is a DNS name. */
function urlHostname(own: readonly string[]): string | undefined {
  const hosts = new Set(own.map(urlHost));
  if (hosts.size !== 1) return undefined;
  const h = [...hosts][0];
  return isDnsName(h, true) ? hostnameField(h) : undefined;
}

export function slpMessage(x: ObserveCtx): void {
  const ev = x.ev;
  if (x.c === null || typeof ev.agent_is_orig !== 'boolean') return;
  const agent = x.side(ev.agent_is_orig);
  if (agent === null) return;
  x.add(agent, { fact: 'role', value: 'slp-agent', source: 'slp.message' });
  const ip = ev.agent_is_orig ? x.origIp() : x.respIp();
  const urls = Array.isArray(ev.urls) ? ev.urls.filter((u): u is string => typeof u === 'string') : [];
  // The attributes of an AttrRply describe the URL its request named.
  if (ev.reply === 'AttrRply' && typeof ev.url === 'string' && ev.url.includes('://')) urls.push(ev.url);
  const own = ownUrls(urls, ip);
  const types = new Set(own.map((u) => urlServiceType(u).toLowerCase()));
  // A registration states its service type; a type reply lists the agent's types.
  if (ev.function === 'SrvReg' && typeof ev.service_type === 'string' && own.length > 0) types.add(ev.service_type.toLowerCase());
  if (ev.reply === 'SrvTypeRply' && Array.isArray(ev.service_types)) for (const t of ev.service_types) if (typeof t === 'string') types.add(t.toLowerCase());
  for (const t of types) {
    if (!t.startsWith('service:')) continue;
    x.add(agent, { fact: 'slp_service', value: t, source: 'slp.service_type' });
    for (const [re, role] of ROLES) if (re.test(t)) x.add(agent, { fact: 'role', value: role, source: 'slp.service_type' });
  }
  x.addText(agent, 'hostname', 'slp.url_host', urlHostname(own));
  const attrs = Array.isArray(ev.attribute_values) ? ev.attribute_values : [];
  for (const a of attrs) {
    if (typeof a !== 'string') continue;
    const eq = a.indexOf('=');
    const tag = a.slice(0, eq).toLowerCase();
    const value = a.slice(eq + 1).replace(/^"|"$/g, '').trim();
    if (value === '') continue;
    if (tag === 'product') {
      const os = esxiOsClaim(value);
      if (os !== null) x.add(agent, { fact: 'os', value, source: 'slp.product', os });
      x.addText(agent, 'software', 'slp.product', value);
    } else if (tag === 'printer-make-and-model') {
      x.addText(agent, 'model', 'slp.printer_make_and_model', value);
    } else if (tag === 'x-hp-hn') {
      x.addText(agent, 'hostname', 'slp.hp_hostname', hostnameField(value));
    } else if (tag === 'x-hp-p1') {
      // An IEEE 1284 device id: MFG, MDL, CLS.
      x.addText(agent, 'manufacturer', 'slp.device_id_mfg', deviceIdField(value, 'MFG', 'MANUFACTURER'));
      x.addText(agent, 'model', 'slp.device_id_mdl', deviceIdField(value, 'MDL', 'MODEL'));
      x.addText(agent, 'device_class', 'slp.device_id_cls', deviceIdField(value, 'CLS', 'CLASS'));
    }
  }
}
