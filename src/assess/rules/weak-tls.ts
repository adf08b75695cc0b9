// weak-tls: SSLv2, SSLv3, TLS 1.0/1.1 (and DTLS 1.0) negotiated, NULL/EXPORT/RC4/DES/3DES or
// anonymous cipher suites, self-signed or expired server certificates; one finding per server
// port.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { TlsWeakness } from '../observe.js';

const KIND_TEXT: Record<TlsWeakness['kind'], string> = { version: 'protocol', cipher: 'cipher', 'self-signed': 'self-signed certificate', expired: 'expired certificate' };

export function weakTls(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byPort = new Map<number, TlsWeakness[]>();
    for (const h of ctx.hostsOf(d)) for (const w of h.tls.values()) byPort.set(w.port, [...(byPort.get(w.port) ?? []), w]);
    for (const [port, list] of [...byPort].sort((a, b) => a[0] - b[0])) {
      const parts = list.map((w) => `${KIND_TEXT[w.kind]} ${w.value}`);
      const severe = list.some((w) => (w.kind === 'version' && (w.value === 'SSLv2' || w.value === 'SSLv3')) || (w.kind === 'cipher' && /NULL|EXPORT|anonymous/.test(w.value)));
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
