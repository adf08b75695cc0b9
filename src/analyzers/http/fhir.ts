// HL7 FHIR's RESTful API over HTTP (FHIR R4 §3.1.0 "RESTful API": [base]/[type]/[id],
// [base]/[type]?[search parameters]; media types application/fhir+json and application/fhir+xml,
// DSTU2's application/json+fhir). Pure helpers: which resource a request addresses, whether that
// resource holds patient data, and the request target with its search values redacted — FHIR
// searches put names, birth dates and record numbers in the query (Patient?family=…&birthdate=…).

/** Resources that hold a patient's data (FHIR R4 Patient compartment and administration). */
const PATIENT_DATA = new Set([
  'Patient', 'RelatedPerson', 'Person', 'Encounter', 'EpisodeOfCare', 'Observation', 'Condition',
  'Procedure', 'DiagnosticReport', 'ImagingStudy', 'Media', 'Specimen', 'BodyStructure',
  'MedicationRequest', 'MedicationAdministration', 'MedicationStatement', 'MedicationDispense',
  'AllergyIntolerance', 'Immunization', 'ImmunizationRecommendation', 'CarePlan', 'CareTeam', 'Goal',
  'ServiceRequest', 'DeviceRequest', 'NutritionOrder', 'VisionPrescription', 'DocumentReference',
  'Composition', 'Coverage', 'Claim', 'ClaimResponse', 'ExplanationOfBenefit', 'Appointment',
  'AppointmentResponse', 'Consent', 'FamilyMemberHistory', 'QuestionnaireResponse', 'Communication',
  'CommunicationRequest', 'Flag', 'ClinicalImpression', 'RiskAssessment', 'DetectedIssue',
  'AdverseEvent', 'DeviceUseStatement', 'Account', 'Invoice', 'ResearchSubject', 'MolecularSequence',
]);

/** Other resource types a FHIR server answers for (terminology, directory, conformance). */
const OTHER = new Set([
  'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'HealthcareService', 'Endpoint',
  'Device', 'DeviceDefinition', 'Medication', 'Substance', 'ValueSet', 'CodeSystem', 'ConceptMap',
  'StructureDefinition', 'CapabilityStatement', 'OperationDefinition', 'SearchParameter',
  'Questionnaire', 'PlanDefinition', 'ActivityDefinition', 'Library', 'Measure', 'Group', 'List',
  'Bundle', 'Binary', 'Subscription', 'AuditEvent', 'Provenance', 'Task', 'Schedule', 'Slot',
]);

const FHIR_MEDIA = /^application\/(fhir\+(json|xml)|(json|xml)\+fhir)$/i;

export function isFhirMediaType(t: string): boolean {
  return FHIR_MEDIA.test(t);
}

export interface FhirTarget {
  /** The resource type the request addresses (the last type segment of the path). */
  resource: string;
  patientData: boolean;
}

/** The FHIR resource a request target addresses, or null when its path names none. */
export function fhirTarget(uri: string): FhirTarget | null {
  const q = uri.indexOf('?');
  const end = q < 0 ? uri.length : q;
  // Resource types are capitalised path segments; most web paths have none (checked without allocating).
  let capital = false;
  for (let i = uri.indexOf('/'); i >= 0 && i < end - 1; i = uri.indexOf('/', i + 1)) {
    const c = uri.charCodeAt(i + 1);
    if (c >= 65 && c <= 90) {
      capital = true;
      break;
    }
  }
  if (!capital) return null;
  const path = uri.slice(0, end);
  let found: string | null = null;
  // [base]/Patient/123/_history/2, [base]/Patient/123/$everything, [base]/Observation/_search
  for (const seg of path.split('/')) {
    if (PATIENT_DATA.has(seg) || OTHER.has(seg)) found = seg;
  }
  if (found === null) return null;
  return { resource: found, patientData: PATIENT_DATA.has(found) };
}

/** `uri` with every search parameter's value replaced (names kept; _count, _sort … kept whole). */
export function redactFhirQuery(uri: string, redacted: string): string {
  // Result parameters (FHIR R4 §3.1.1.5.x: _count, _sort, _include, _format, _summary, _elements …)
  // shape the answer and name no one; every other value may identify the patient.
  return redactQueryValues(uri, redacted, (name) => name.startsWith('_') && name !== '_id' && name !== '_content' && name !== '_text' && name !== '_filter' && name !== '_has');
}

/** `uri` with the value of every query parameter whose name `keep` refuses replaced by `redacted`. */
export function redactQueryValues(uri: string, redacted: string, keep: (name: string) => boolean): string {
  const q = uri.indexOf('?');
  if (q < 0) return uri;
  const params = uri.slice(q + 1).split('&').map((p) => {
    const eq = p.indexOf('=');
    if (eq < 0) return p;
    const name = p.slice(0, eq);
    return keep(name) ? p : `${name}=${redacted}`;
  });
  return `${uri.slice(0, q)}?${params.join('&')}`;
}
