// DICOMweb (DICOM PS3.18): the RESTful services PACS, VNAs and web viewers speak over HTTP —
// QIDO-RS searches ([base]/studies?PatientName=…), WADO-RS retrievals ([base]/studies/{uid}
// [/series/{uid}[/instances/{uid}]][/metadata|/frames/…|/rendered]), STOW-RS stores (POST
// [base]/studies) and UPS-RS worklists ([base]/workitems), plus the older WADO-URI
// (?requestType=WADO&studyUID=…). Pure helpers: which service a request addresses, and its target
// with the search values redacted (QIDO-RS queries name patients, IDs, birth dates).

import { redactQueryValues } from './fhir.js';

export type DicomwebService = 'QIDO-RS' | 'WADO-RS' | 'STOW-RS' | 'UPS-RS' | 'WADO-URI';

export interface DicomwebTarget {
  service: DicomwebService;
  /**
   * The path alone says DICOMweb (a UID segment, a DICOM attribute in the query, WADO-URI's
   * requestType). Otherwise a bare [base]/studies must be confirmed by a DICOM media type.
   */
  strong: boolean;
}

const RESOURCES = new Set(['studies', 'series', 'instances']);
/** WADO-RS sub-resources after a UID (PS3.18 §10.4). */
const RETRIEVE = new Set(['metadata', 'rendered', 'thumbnail', 'frames', 'bulkdata', 'pixeldata']);
const UID = /^[0-9]+(\.[0-9]+)+$/;
/** A QIDO-RS attribute by keyword or as eight hex digits (PS3.18 §8.3.4). */
const ATTRIBUTE = /^([0-9A-Fa-f]{8}|(Patient|Study|Series|Scheduled|ProcedureStep|Requested|Referenced|Accession|IssuerOf)[A-Za-z]*|SOPInstanceUID|SOPClassUID|ModalitiesInStudy|Modality|ReferringPhysicianName|InstanceNumber)(\.|=|$)/;

/** Query parameters that shape the answer and name no one (PS3.18 §8.3.4, §9, WADO-URI PS3.18 §9.1). */
const KEEP = new Set([
  'limit', 'offset', 'fuzzymatching', 'includefield', 'charset', 'accept',
  'requesttype', 'contenttype', 'transfersyntax', 'anonymize', 'annotation', 'rows', 'columns', 'region',
  'windowcenter', 'windowwidth', 'framenumber', 'imagequality', 'quality', 'viewport',
  'studyuid', 'seriesuid', 'objectuid', 'presentationuid', 'presentationseriesuid',
  'studyinstanceuid', 'seriesinstanceuid', 'sopinstanceuid', 'sopclassuid', '0020000d', '0020000e', '00080018', '00080016',
]);

/** Media types of DICOM content (PS3.18 §8.7): instances, and metadata or search results in JSON/XML. */
export function isDicomMediaType(t: string): boolean {
  const x = t.toLowerCase();
  return x === 'application/dicom' || x === 'application/dicom+json' || x === 'application/dicom+xml';
}

/** The DICOMweb service a request addresses, or null when its target names none. */
export function dicomwebTarget(method: string, uri: string): DicomwebTarget | null {
  const q = uri.indexOf('?');
  const query = q < 0 ? '' : uri.slice(q + 1);
  if (query !== '' && /(^|&)requesttype=wado(&|$)/i.test(query)) return { service: 'WADO-URI', strong: true };
  const path = q < 0 ? uri : uri.slice(0, q);
  // Cheap refusal of most web paths before splitting.
  if (!path.includes('/studies') && !path.includes('/series') && !path.includes('/instances') && !path.includes('/workitems')) return null;
  const segs = path.split('/');
  let first = -1;
  for (let i = 0; i < segs.length; i++) {
    if (RESOURCES.has(segs[i]) || segs[i] === 'workitems') {
      first = i;
      break;
    }
  }
  if (first < 0) return null;
  const attrQuery = query !== '' && query.split('&').some((p) => ATTRIBUTE.test(p));
  if (segs[first] === 'workitems') return { service: 'UPS-RS', strong: attrQuery || (segs[first + 1] !== undefined && UID.test(segs[first + 1])) };
  let uids = 0;
  let retrieve = false;
  let last = '';
  for (let i = first; i < segs.length; i++) {
    const s = segs[i];
    if (s === '') continue;
    if (UID.test(s)) uids++;
    else if (RETRIEVE.has(s)) retrieve = true;
    else if (!RESOURCES.has(s) && !/^[0-9,]+$/.test(s)) return null; // frame lists are numbers
    last = s;
  }
  const strong = uids > 0 || attrQuery;
  if (method === 'POST' && (last === 'studies' || (uids === 1 && segs[first] === 'studies' && UID.test(last)))) return { service: 'STOW-RS', strong: uids > 0 };
  if (RESOURCES.has(last)) return { service: 'QIDO-RS', strong };
  if (retrieve || UID.test(last)) return { service: 'WADO-RS', strong: uids > 0 };
  return null;
}

/** `uri` with every query value that may identify a patient replaced (names kept). */
export function redactDicomwebQuery(uri: string, redacted: string): string {
  return redactQueryValues(uri, redacted, (name) => KEEP.has(name.toLowerCase()));
}
