// smbv1: the SMB1 dialect negotiated (or SMB1 commands used) with the device as server or
// client. A client that only offered SMB1 and was answered with SMB 2/3 is not reported.
import type { Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';

export function smbv1(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const hosts = ctx.hostsOf(d);
    const server = hosts.map((h) => h.smb1.server).filter((e) => e !== null);
    const client = hosts.map((h) => h.smb1.client).filter((e) => e !== null);
    const offered = hosts.map((h) => h.smb1.offered).filter((e) => e !== null);
    if (server.length > 0) {
      const dialects = [...new Set(hosts.flatMap((h) => h.smb1.dialects))].sort();
      out.push(makeFinding('smbv1', d, { key: 'server', title: 'SMBv1 served', detail: `The device serves SMB1${dialects.length > 0 ? ` (dialect ${dialects.join(', ')})` : ''}: the protocol of EternalBlue/WannaCry (MS17-010), without integrity protection of its negotiation.`, evidence: server }));
    }
    if (client.length > 0) {
      out.push(makeFinding('smbv1', d, { key: 'client', title: 'SMBv1 used as a client', detail: 'The device talks SMB1 to a file server; it will keep doing so while any server allows it.', evidence: [...client, ...offered], severity: 'medium' }));
    }
  }
  return out;
}
