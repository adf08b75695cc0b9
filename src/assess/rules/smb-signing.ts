// smb-signing: the device's SMB server negotiated sessions without requiring signing (SMB2
// NEGOTIATE response SecurityMode without SIGNING_REQUIRED, MS-SMB2 2.2.4; SMB1's
// NEGOTIATE_SECURITY_SIGNATURES_REQUIRED, MS-CIFS 2.2.4.52.2). An attacker who makes a victim
// authenticate to it (LLMNR/NBNS poisoning, coerced authentication) can relay that NTLM exchange
// to such a server and act there as the victim (ntlmrelayx; ATT&CK T1557.001). Windows requires
// signing only on domain controllers by default: a domain controller without it is high.
import type { Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';

export function smbSigning(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const ev = ctx.hostsOf(d).map((h) => h.smbUnsigned).filter((e) => e !== null);
    if (ev.length === 0) continue;
    const dc = d.evidence.some((e) => e.fact === 'role' && e.value === 'domain-controller');
    out.push(
      makeFinding('smb-signing', d, {
        key: 'server',
        title: dc ? 'SMB signing not required on a domain controller' : 'SMB signing not required',
        detail: `The device's SMB server accepts sessions without signing (${ev[0].value}): an NTLM authentication captured elsewhere (name poisoning, coerced authentication) can be relayed to it and used there as the victim's.`,
        evidence: ev,
        severity: dc ? 'high' : undefined,
      }),
    );
  }
  return out;
}
