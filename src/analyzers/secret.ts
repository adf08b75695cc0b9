// Secrets seen on the wire (passwords, SNMP communities) never leave memory in clear and never
// reach any output. Analyzers keep only a keyed digest, so the default-credential check can
// compare against known defaults; the key is random per process and never written anywhere.
import { createHmac, randomBytes } from 'node:crypto';

const KEY = randomBytes(32);

/** What every log and report shows in place of a secret. */
export const REDACTED = '<redacted>';

export function secretDigest(secret: string | Uint8Array): string {
  return createHmac('sha256', KEY).update(secret).digest('hex');
}
