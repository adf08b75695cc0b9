// The store's last line of defence for "never a password, community string or patient value":
// whatever the layers above hand it, values under secret or patient keys, and evidence whose
// fact or source names a secret or a patient field, are written as "<redacted>".
import type { Evidence } from '../report/model.js';

export const REDACTED = '<redacted>';

/** Object keys whose values are never stored. */
const SECRET_KEY = /^(password|passwd|pwd|pass|secret|community|credential|token|patient(_[a-z0-9_]+)?)$/i;
/** Evidence facts or sources that carry a secret or a patient value. */
const SECRET_FIELD = /(password|passwd|community|secret|credential|\btoken\b|patient|hl7\.pid|hl7\.nk1|dicom\.0010|dicom\.patient)/i;
/** Values that say something about a secret without being one. */
const HARMLESS = new Set([REDACTED, '', 'true', 'false', 'yes', 'no', 'sent', 'default', 'vendor-default', 'present', 'absent']);

/** A deep copy of `v` with secret and patient values replaced. */
export function scrubJson<T>(v: T): T {
  return scrub(v, 0) as T;
}

const MAX_DEPTH = 32;

function scrub(v: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (SECRET_KEY.test(k) && x !== null && typeof x !== 'boolean' && typeof x !== 'object') out[k] = REDACTED;
    else out[k] = scrub(x, depth + 1);
  }
  return out;
}

/** The evidence as it may be stored. */
export function scrubEvidence(e: Evidence): Evidence {
  const secret = (SECRET_FIELD.test(e.fact) || SECRET_FIELD.test(e.source)) && !HARMLESS.has(e.value.toLowerCase());
  return secret ? { ...e, value: REDACTED } : e;
}
