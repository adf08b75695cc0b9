// Names of the DICOM UIDs an inventory cares about (PS3.6 Annex A, PS3.4 Annex B.5): the
// storage SOP classes that say what kind of imaging device proposes them, plus verification,
// query/retrieve and worklist. A fact table, not a verdict: "this association offers CT Image
// Storage" is what the traffic shows.

export interface SopClassInfo {
  name: string;
  /** The modality whose images the class carries (CT, MR …), for image storage classes. */
  modality?: string;
}

export const SOP_CLASSES: ReadonlyMap<string, SopClassInfo> = new Map([
  ['1.2.840.10008.1.1', { name: 'Verification' }],
  ['1.2.840.10008.5.1.4.1.1.1', { name: 'CR Image Storage', modality: 'CR' }],
  ['1.2.840.10008.5.1.4.1.1.1.1', { name: 'Digital X-Ray Image Storage - For Presentation', modality: 'DX' }],
  ['1.2.840.10008.5.1.4.1.1.1.1.1', { name: 'Digital X-Ray Image Storage - For Processing', modality: 'DX' }],
  ['1.2.840.10008.5.1.4.1.1.1.2', { name: 'Digital Mammography X-Ray Image Storage - For Presentation', modality: 'MG' }],
  ['1.2.840.10008.5.1.4.1.1.1.2.1', { name: 'Digital Mammography X-Ray Image Storage - For Processing', modality: 'MG' }],
  ['1.2.840.10008.5.1.4.1.1.1.3', { name: 'Digital Intra-Oral X-Ray Image Storage - For Presentation', modality: 'IO' }],
  ['1.2.840.10008.5.1.4.1.1.2', { name: 'CT Image Storage', modality: 'CT' }],
  ['1.2.840.10008.5.1.4.1.1.2.1', { name: 'Enhanced CT Image Storage', modality: 'CT' }],
  ['1.2.840.10008.5.1.4.1.1.3.1', { name: 'Ultrasound Multi-frame Image Storage', modality: 'US' }],
  ['1.2.840.10008.5.1.4.1.1.4', { name: 'MR Image Storage', modality: 'MR' }],
  ['1.2.840.10008.5.1.4.1.1.4.1', { name: 'Enhanced MR Image Storage', modality: 'MR' }],
  ['1.2.840.10008.5.1.4.1.1.6.1', { name: 'Ultrasound Image Storage', modality: 'US' }],
  ['1.2.840.10008.5.1.4.1.1.7', { name: 'Secondary Capture Image Storage', modality: 'OT' }],
  ['1.2.840.10008.5.1.4.1.1.12.1', { name: 'X-Ray Angiographic Image Storage', modality: 'XA' }],
  ['1.2.840.10008.5.1.4.1.1.12.2', { name: 'X-Ray Radiofluoroscopic Image Storage', modality: 'RF' }],
  ['1.2.840.10008.5.1.4.1.1.13.1.3', { name: 'Breast Tomosynthesis Image Storage', modality: 'MG' }],
  ['1.2.840.10008.5.1.4.1.1.20', { name: 'Nuclear Medicine Image Storage', modality: 'NM' }],
  ['1.2.840.10008.5.1.4.1.1.128', { name: 'Positron Emission Tomography Image Storage', modality: 'PT' }],
  ['1.2.840.10008.5.1.4.1.1.481.1', { name: 'RT Image Storage', modality: 'RTIMAGE' }],
  ['1.2.840.10008.5.1.4.1.1.77.1.4', { name: 'VL Photographic Image Storage', modality: 'XC' }],
  ['1.2.840.10008.5.1.4.1.1.77.1.5.1', { name: 'Ophthalmic Photography 8 Bit Image Storage', modality: 'OP' }],
  ['1.2.840.10008.5.1.4.1.1.9.1.1', { name: '12-lead ECG Waveform Storage', modality: 'ECG' }],
  ['1.2.840.10008.5.1.4.1.1.88.11', { name: 'Basic Text SR Storage' }],
  ['1.2.840.10008.5.1.4.1.1.88.22', { name: 'Enhanced SR Storage' }],
  ['1.2.840.10008.5.1.4.1.1.104.1', { name: 'Encapsulated PDF Storage' }],
  ['1.2.840.10008.5.1.4.1.2.1.1', { name: 'Patient Root Query/Retrieve Information Model - FIND' }],
  ['1.2.840.10008.5.1.4.1.2.1.2', { name: 'Patient Root Query/Retrieve Information Model - MOVE' }],
  ['1.2.840.10008.5.1.4.1.2.1.3', { name: 'Patient Root Query/Retrieve Information Model - GET' }],
  ['1.2.840.10008.5.1.4.1.2.2.1', { name: 'Study Root Query/Retrieve Information Model - FIND' }],
  ['1.2.840.10008.5.1.4.1.2.2.2', { name: 'Study Root Query/Retrieve Information Model - MOVE' }],
  ['1.2.840.10008.5.1.4.1.2.2.3', { name: 'Study Root Query/Retrieve Information Model - GET' }],
  ['1.2.840.10008.5.1.4.31', { name: 'Modality Worklist Information Model - FIND' }],
  ['1.2.840.10008.3.1.2.3.3', { name: 'Modality Performed Procedure Step' }],
  ['1.2.840.10008.5.1.1.16', { name: 'Basic Film Session' }],
  ['1.2.840.10008.5.1.1.9', { name: 'Basic Grayscale Print Management Meta SOP Class' }],
  ['1.2.840.10008.1.20.1', { name: 'Storage Commitment Push Model' }],
]);

export function sopClassName(uid: string): string | undefined {
  return SOP_CLASSES.get(uid)?.name;
}

/** Modalities whose image storage classes appear in `uids`, sorted and unique. */
export function modalitiesOf(uids: Iterable<string>): string[] {
  const s = new Set<string>();
  for (const u of uids) {
    const m = SOP_CLASSES.get(u)?.modality;
    if (m !== undefined) s.add(m);
  }
  return [...s].sort();
}
