// dicom-open-access: a DICOM SCP (a PACS, a modality's or workstation's storage service, a
// viewer) that accepts associations without checking application entity titles, DICOM's own
// access control: an association addressed to a placeholder called AE title (ANY-SCP, which
// dcmtk's tools and nmap's DICOM scripts send when told nothing else) — the SCP does not check
// whom it is called — or from a tool's default calling AE title (ECHOSCU, FINDSCU, STORESCU …) —
// it lets in callers it was never configured for. Either way any host that reaches its port may
// query, retrieve or store studies (patient data) as far as the SCP's services go; scanners'
// surveys of PACS find thousands that answer like this. Judged from the SCP's accept
// (A-ASSOCIATE-AC); a refusal of the same request is the configuration working. CIS Controls 6.8
// (define and maintain role-based access control) applied to DICOM's AE titles.
import type { Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';

export function dicomOpenAccess(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs = ctx.hostsOf(d).flatMap((h) => (h.dicomAccess === null ? [] : [h.dicomAccess]));
    if (obs.length === 0) continue;
    const anyCalled = obs.find((o) => o.anyCalled !== null)?.anyCalled ?? null;
    const defaultCalling = obs.find((o) => o.defaultCalling !== null)?.defaultCalling ?? null;
    const what: string[] = [];
    if (anyCalled !== null) what.push(`accepted an association called ${JSON.stringify(anyCalled.title)} on port ${anyCalled.port}, a placeholder that names no application: it does not check the AE title it is called by`);
    if (defaultCalling !== null) what.push(`accepted an association from ${JSON.stringify(defaultCalling.title)} on port ${defaultCalling.port}, a DICOM tool's default calling AE title: it lets in callers it was not configured for`);
    out.push(
      makeFinding('dicom-open-access', d, {
        key: 'dicom',
        detail: `The device's DICOM service ${what.join('; and it ')}. AE titles are DICOM's access control; without them any host that reaches the port may query, retrieve or store studies as far as the service allows.`,
        evidence: [anyCalled?.evidence, defaultCalling?.evidence].filter((e) => e !== undefined),
      }),
    );
  }
  return out;
}
