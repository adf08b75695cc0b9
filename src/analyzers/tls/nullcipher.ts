// TLS with a NULL cipher suite: authentication and integrity, no encryption (the retired DICOM
// "null" and IHE ATNA profiles, dcmtk's --profile-null; TLS_RSA_WITH_NULL_SHA and kin). NULL is a
// stream cipher that leaves the bytes as they are (RFC 5246 §6.2.3.1, as RFC 4346 and 2246), so
// every record after ChangeCipherSpec carries its plaintext followed by the MAC: whoever is on
// the path reads what goes through, and so can wardline. TLS 1.3 has no NULL suites (RFC 9150's
// integrity-only ones protect the record's content type, and are not read here).
import { cipherName } from './names.js';

/** MAC bytes after the plaintext of each record under cipher suite `code`; 0 when it is no NULL suite. */
export function nullMacLength(code: number): number {
  const name = cipherName(code);
  if (!/_WITH_NULL_/.test(name)) return 0;
  if (name.endsWith('_MD5')) return 16;
  if (name.endsWith('_SHA')) return 20;
  if (name.endsWith('_SHA256')) return 32;
  if (name.endsWith('_SHA384')) return 48;
  return 0;
}
