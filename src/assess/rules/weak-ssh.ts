// weak-ssh: an SSH server whose settings no longer protect its sessions (src/assess/ssh-weak.ts
// says why each): protocol 1, or a session that negotiated a broken or weak key exchange, cipher,
// MAC or host key (high when broken: RC4, none, single DES, the 1024-bit group, protocol 1;
// medium otherwise: CBC, 3DES, MD5 MACs, SHA-1 group exchange, DSA host keys); a banner that still
// accepts protocol 1 (SSH-1.99) is medium; broken algorithms the server only offers — a client
// that asks gets them — are low (weak ones merely offered are named only beside another weakness). Medical devices and appliances run old OpenSSH and Dropbear builds
// that negotiate exactly these. One finding per server port. CIS Controls 12.6.
import type { Finding, Severity } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { SshWeakness } from '../observe.js';

export function weakSsh(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byPort = new Map<number, SshWeakness[]>();
    for (const h of ctx.hostsOf(d)) {
      for (const w of h.ssh.values()) {
        const l = byPort.get(w.port);
        if (l === undefined) byPort.set(w.port, [w]);
        else l.push(w);
      }
    }
    for (const [port, list] of [...byPort].sort((a, b) => a[0] - b[0])) {
      const of = (kind: SshWeakness['kind']): SshWeakness[] => list.filter((w) => w.kind === kind);
      /** Each distinct item of a kind, "name (why)" or the reason alone. */
      const text = (kind: SshWeakness['kind'], skip: ReadonlySet<string> = new Set()): string[] => [...new Set(of(kind).flatMap((w) => w.items.filter((i) => !skip.has(i.name)).map((i) => (i.name === '' ? i.why : `${i.name} (${i.why})`))))];
      const usedItems = of('used').flatMap((w) => w.items);
      const ranV1 = usedItems.some((i) => i.name === '');
      const algorithms = text('used', new Set(['']));
      const protocol = text('protocol');
      const offered = text('offered', new Set(usedItems.map((i) => i.name)));
      const parts: string[] = [];
      if (ranV1) parts.push('a session ran protocol 1');
      if (algorithms.length > 0) parts.push(`sessions negotiated ${listText(algorithms, 6)}`);
      if (protocol.length > 0) parts.push(`its banner says it ${protocol.join('; ')}`);
      if (offered.length > 0) parts.push(`it also offers ${listText(offered, 6)}`);
      const brokenUse = list.some((w) => w.broken && w.kind !== 'offered');
      // Weak algorithms merely offered (CBC, MD5 MACs: old defaults kept for old clients) are
      // named beside a weakness in use; alone, only a broken one on offer makes a finding.
      if (usedItems.length === 0 && protocol.length === 0 && !list.some((w) => w.broken)) continue;
      const severity: Severity = brokenUse ? 'high' : usedItems.length > 0 || protocol.length > 0 ? 'medium' : 'low';
      out.push(
        makeFinding('weak-ssh', d, {
          key: `ssh:${port}`,
          detail: `The device's SSH server on port ${port}: ${parts.join('; ')}. Whoever records or sits in the path of these sessions can read or alter them more easily than SSH promises, and a client that asks for the weakest setting gets it.`,
          evidence: [...of('used'), ...of('protocol'), ...of('offered')].map((w) => w.evidence).slice(0, 4),
          severity,
        }),
      );
    }
  }
  return out;
}
