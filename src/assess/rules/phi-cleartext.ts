// phi-cleartext: patient data (HL7 PID/NK1/PV1 segments, DICOM group 0010 tags, DICOMweb instances
// and metadata, HL7 FHIR resources
// that hold a patient's data, ASTM patient records, POCT1-A PT fields, IntelliVue patient
// demographics) crossed the wire unencrypted; the finding is on the device that sent
// it. Only segment, tag and resource type names are kept.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import { phiFix } from '../fixes.js';
import type { PhiObs } from '../observe.js';

const PHI_NAMES: Record<string, string> = { hl7: 'HL7', dicom: 'DICOM', dicomweb: 'DICOMweb', astm: 'ASTM', fhir: 'FHIR', poct1a: 'POCT1-A', intellivue: 'IntelliVue Data Export' };

/** What went by, per protocol, given the names of the segments, tags, resources or services seen. */
const PHI_WHAT: Record<string, (items: string) => string> = {
  hl7: (i) => `HL7 v2 messages with patient segments ${i}`,
  dicom: (i) => `DICOM data sets with patient tags ${i}`,
  dicomweb: (i) => `DICOMweb exchanges (${i}) carrying DICOM instances or their patient metadata`,
  astm: (i) => `ASTM laboratory messages with patient records filling ${i}`,
  poct1a: (i) => `POCT1-A point-of-care observation messages with patient fields ${i}`,
  fhir: (i) => `HL7 FHIR REST exchanges carrying ${i} resources`,
  intellivue: (i) => `IntelliVue Data Export poll results with patient demographics (${i})`,
};

export function phiCleartext(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byProto = new Map<string, PhiObs[]>();
    for (const h of ctx.hostsOf(d)) for (const p of h.phi.values()) byProto.set(p.protocol, [...(byProto.get(p.protocol) ?? []), p]);
    for (const [proto, list] of [...byProto].sort()) {
      const items = [...new Set(list.flatMap((p) => p.items))].sort();
      const peers = [...new Set(list.map((p) => p.peer))].sort();
      const n = list.reduce((a, p) => a + p.count, 0);
      const what = PHI_WHAT[proto]?.(listText(items, 6)) ?? `${proto} exchanges carrying ${listText(items, 6)}`;
      out.push(
        makeFinding('phi-cleartext', d, {
          key: proto,
          title: `Patient data sent unencrypted (${PHI_NAMES[proto] ?? proto})`,
          detail: `${n} ${what} went unencrypted to ${listText(peers, 4)}. Values are not recorded.`,
          evidence: list.map((p) => p.evidence),
          remediation: phiFix(proto),
        }),
      );
    }
  }
  return out;
}
