// Object identifiers X.509 certificates carry, named as OpenSSL names them (Zeek's x509.log and
// ssl.log print OpenSSL's text): attribute types for distinguished names use OpenSSL's short
// names (RFC 4514 §3 keys plus OpenSSL's own), algorithms use OpenSSL's long names.

/** RDN attribute types (RFC 5280 §4.1.2.4, X.520) → short name. */
export const ATTRIBUTE_NAMES = new Map<string, string>([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'street'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'GN'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['1.2.840.113549.1.9.2', 'unstructuredName'],
  ['1.2.840.113549.1.9.8', 'unstructuredAddress'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC'],
]);

/** Signature and public-key algorithms → OpenSSL long name. */
export const ALGORITHM_NAMES = new Map<string, string>([
  ['1.2.840.113549.1.1.1', 'rsaEncryption'],
  ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption'],
  ['1.2.840.113549.1.1.3', 'md4WithRSAEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.113549.1.1.7', 'rsaesOaep'],
  ['1.2.840.113549.1.1.10', 'rsassaPss'],
  ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
  ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption'],
  ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption'],
  ['1.2.840.113549.1.1.14', 'sha224WithRSAEncryption'],
  ['1.3.14.3.2.3', 'md5WithRSA'],
  ['1.3.14.3.2.29', 'sha1WithRSA'],
  ['1.2.840.10040.4.1', 'dsaEncryption'],
  ['1.2.840.10040.4.3', 'dsaWithSHA1'],
  ['2.16.840.1.101.3.4.3.1', 'dsa_with_SHA224'],
  ['2.16.840.1.101.3.4.3.2', 'dsa_with_SHA256'],
  ['1.2.840.10045.2.1', 'id-ecPublicKey'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224'],
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
  ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
  ['1.2.840.10046.2.1', 'X9.42 DH'],
  ['1.3.101.110', 'X25519'],
  ['1.3.101.111', 'X448'],
  ['1.3.101.112', 'ED25519'],
  ['1.3.101.113', 'ED448'],
]);

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
/** PKCS #1 arc: some broken certificates name a signature algorithm as the RSA key's type. */
export const OID_PKCS1_PREFIX = '1.2.840.113549.1.1.';
export const OID_OIW_MD5_RSA = '1.3.14.3.2.3';
export const OID_OIW_SHA1_RSA = '1.3.14.3.2.29';
export const OID_DSA = '1.2.840.10040.4.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';

/** Named curves (RFC 5480 §2.1.1.1, RFC 5639) → OpenSSL short name and key size in bits. */
export const CURVES = new Map<string, { name: string; bits: number }>([
  ['1.2.840.10045.3.1.1', { name: 'prime192v1', bits: 192 }],
  ['1.3.132.0.33', { name: 'secp224r1', bits: 224 }],
  ['1.2.840.10045.3.1.7', { name: 'prime256v1', bits: 256 }],
  ['1.3.132.0.34', { name: 'secp384r1', bits: 384 }],
  ['1.3.132.0.35', { name: 'secp521r1', bits: 521 }],
  ['1.3.132.0.10', { name: 'secp256k1', bits: 256 }],
  ['1.3.36.3.3.2.8.1.1.7', { name: 'brainpoolP256r1', bits: 256 }],
  ['1.3.36.3.3.2.8.1.1.11', { name: 'brainpoolP384r1', bits: 384 }],
  ['1.3.36.3.3.2.8.1.1.13', { name: 'brainpoolP512r1', bits: 512 }],
]);
