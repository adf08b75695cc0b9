// remote-access: the device runs a remote-access or remote-support tool (TeamViewer, AnyDesk,
// ScreenConnect …): its client reached the tool's service or presented the tool's certificate.
// Such tools open a way in that bypasses the hospital's own remote-access controls; on a medical
// or IoT device (a vendor's support channel to a modality or a pump) the finding is high.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { RemoteAccessObs } from '../observe.js';
import { isMedical } from '../segments.js';

export function remoteAccess(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byProduct = new Map<string, RemoteAccessObs[]>();
    for (const h of ctx.hostsOf(d)) for (const r of h.remoteAccess.values()) byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), r]);
    for (const [product, list] of [...byProduct].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const how = list.map((r) => r.what);
      const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
      out.push(
        makeFinding('remote-access', d, {
          key: product,
          title: `Remote-access software in use: ${product}`,
          detail: `The device runs ${product} (${listText(how, 3)}): a remote party can operate it through the vendor's service, outside the hospital's own remote-access controls${sensitive ? '; on a medical or IoT device this is usually a vendor support channel that must go through a managed, logged gateway' : ''}.`,
          evidence: list.map((r) => r.evidence),
          severity: sensitive ? 'high' : undefined,
        }),
      );
    }
  }
  return out;
}
