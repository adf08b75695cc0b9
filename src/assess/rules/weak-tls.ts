// weak-tls: SSLv2, SSLv3, TLS 1.0/1.1 (and DTLS 1.0) negotiated, NULL/EXPORT/RC4/DES/3DES or
// anonymous cipher suites, self-signed or expired server certificates, and server certificates
// with an RSA/DSA key under 2048 bits or an MD5/SHA-1 signature (NIST SP 800-131A); one finding
// per server port (high for SSLv2/3, NULL/EXPORT/anonymous suites, MD2/MD5 signatures and keys
// under 1000 bits).
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { TlsWeakness } from '../observe.js';

const KIND_TEXT: Record<TlsWeakness['kind'], string> = { version: 'protocol', cipher: 'cipher', 'self-signed': 'self-signed certificate', expired: 'expired certificate', key: 'certificate with a short', signature: 'certificate signed with' };

export function weakTls(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byPort = new Map<number, TlsWeakness[]>();
    for (const h of ctx.hostsOf(d)) for (const w of h.tls.values()) byPort.set(w.port, [...(byPort.get(w.port) ?? []), w]);
    for (const [port, list] of [...byPort].sort((a, b) => a[0] - b[0])) {
      const parts = list.map((w) => `${KIND_TEXT[w.kind]} ${w.value}`);
      const severe = list.some((w) => (w.kind === 'version' && (w.value === 'SSLv2' || w.value === 'SSLv3')) || (w.kind === 'cipher' && /NULL|EXPORT|anonymous/.test(w.value)) || (w.kind === 'signature' && /md[25]/i.test(w.value)) || (w.kind === 'key' && /\b([1-9][0-9]{0,2})-bit/.test(w.value)));
      out.push(
        makeFinding('weak-tls', d, {
          key: String(port),
          title: `Weak TLS on port ${port}`,
          detail: `TLS on port ${port}: ${listText([...new Set(parts)].sort(), 5)}.`,
          evidence: list.map((w) => w.evidence),
          severity: severe ? 'high' : undefined,
        }),
      );
    }
  }
  return out;
}
