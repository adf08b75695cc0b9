// weak-ntlm: NTLMv1 (MS-NLMP 3.3.1: a 24-byte NtChallengeResponse, with or without extended
// session security). The response is three DES encryptions under pieces of the account's NT
// hash: it cracks back to the hash, which logs on as the account (pass-the-hash). On the client
// that sent it (its LmCompatibilityLevel is below 3) and on the server that accepted it (its
// domain still allows NTLMv1).
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';

export function weakNtlm(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs = ctx.hostsOf(d).map((h) => h.ntlmV1);
    const users = [...new Set(obs.flatMap((o) => o.users))].sort();
    const who = users.length > 0 ? ` (${listText(users, 5)})` : '';
    const client = obs.map((o) => o.client).filter((e) => e !== null);
    const server = obs.map((o) => o.server).filter((e) => e !== null);
    if (client.length > 0) {
      out.push(makeFinding('weak-ntlm', d, { key: 'client', title: 'NTLMv1 authentication sent', detail: `The device answered NTLM challenges with NTLMv1 responses${who}: each cracks back to the account's NT hash, which logs on as the account anywhere NTLM is accepted.`, evidence: client }));
    }
    if (server.length > 0) {
      out.push(makeFinding('weak-ntlm', d, { key: 'server', title: 'NTLMv1 authentication accepted', detail: `The device accepted NTLMv1 logons${who}: its domain (or local policy) still allows NTLMv1, so a client tricked into using it gives its hash away.`, evidence: server }));
    }
  }
  return out;
}
