// medical-advisory: a CISA ICS medical advisory (CSAF 2.0) lists the device's vendor and product
// as known_affected, and the device's version is inside the affected statement or not visible
// (a version known to be outside it, or listed as fixed, yields nothing).
import type { CsafAdvisory, CsafProduct } from '../../knowledge/csaf.js';
import { versionMatches } from '../../knowledge/csaf.js';
import { sameProduct, vendorKey } from '../../knowledge/names.js';
import type { Device, Finding } from '../../report/model.js';
import { kbEvidence, listText, makeFinding, type RuleContext } from '../context.js';
import { productVersion } from '../identity.js';
import { cvssSeverity, lowerSeverity } from '../risks.js';

const MAX_REMEDIATION = 600;

function productMatches(d: Device, p: CsafProduct): boolean {
  if (d.model === null) return false;
  return sameProduct(d.model, p.product, p.vendor) || sameProduct(d.model, p.name, p.vendor) || (p.family !== undefined && sameProduct(d.model, p.family, p.vendor));
}

function matchAdvisory(a: CsafAdvisory, d: Device, version: string | null): { products: CsafProduct[]; confirmed: boolean } | null {
  const vk = vendorKey(d.vendor ?? '');
  const affectedIds = new Set(a.vulnerabilities.flatMap((v) => v.affected));
  const fixedIds = new Set(a.vulnerabilities.flatMap((v) => v.fixed));
  const hits: CsafProduct[] = [];
  let confirmed = false;
  for (const p of a.products.values()) {
    if (p.vendorKey !== vk || !productMatches(d, p)) continue;
    if (fixedIds.has(p.id) && versionMatches(p.version, version) === 'yes') return null;
    if (!affectedIds.has(p.id)) continue;
    const t = versionMatches(p.version, version);
    if (t === 'no') continue;
    if (t === 'yes' && (version !== null || p.version.all)) confirmed = true;
    hits.push(p);
  }
  return hits.length > 0 ? { products: hits, confirmed } : null;
}

export function medicalAdvisory(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    if (d.vendor === null || d.model === null) continue;
    const version = productVersion(d);
    for (const a of ctx.kb.csaf) {
      const m = matchAdvisory(a, d, version);
      if (m === null) continue;
      const ids = new Set(m.products.map((p) => p.id));
      const vulns = a.vulnerabilities.filter((v) => v.affected.some((x) => ids.has(x)));
      const cves = vulns.map((v) => v.cve).filter((c): c is string => c !== null);
      const cvss = vulns.reduce((x, v) => (v.cvss !== null && v.cvss > x ? v.cvss : x), -1);
      const rem: string[] = [];
      for (const v of vulns) for (const r of v.remediations) if (r.productIds.some((x) => ids.has(x)) && !rem.includes(r.details) && (r.category === 'vendor_fix' || r.category === 'mitigation' || r.category === 'workaround')) rem.push(r.details);
      let remediation = rem.join(' ').slice(0, MAX_REMEDIATION);
      if (a.url !== null) remediation += `${remediation !== '' ? ' ' : ''}See ${a.url}.`;
      const versions = m.products.map((p) => `${p.product}${p.version.text !== '' ? ` ${p.version.text}` : ''}`);
      const detail = `${a.id} (${a.title}) lists ${listText(versions, 3)} as affected; this device is ${d.vendor} ${d.model}${version !== null ? ` version ${version}` : ', version not visible in the traffic'}. CVEs: ${listText(cves, 6) || 'none listed'}.`;
      let severity = cvss >= 0 ? cvssSeverity(cvss) : 'high';
      if (!m.confirmed) severity = lowerSeverity(severity);
      const f = makeFinding('medical-advisory', d, {
        key: a.id,
        title: `${a.id}: ${a.title}`,
        detail,
        evidence: [
          ...d.evidence.filter((e) => e.fact === 'model' || e.fact === 'vendor' || e.fact === 'firmware' || e.fact === 'software').slice(0, 3),
          kbEvidence(ctx, 'advisory', `${a.id}: ${listText(versions, 3)}`, 'csaf.product_tree', a.file),
        ],
        severity,
        cves,
        remediation: remediation !== '' ? remediation : undefined,
        advisory: a.id,
      });
      if (cvss >= 0) f.cvss = cvss;
      f.confirmed = m.confirmed;
      out.push(f);
    }
  }
  return out;
}
