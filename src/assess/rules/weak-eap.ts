// weak-eap: a device authenticates to its switch port or access point (802.1X) with an EAP method
// that gives its password away outside a TLS tunnel. EAP-MD5 and LEAP send a hash of the password
// and a challenge (RFC 3748 §7.2: open to an offline dictionary attack; asleap for LEAP) and do
// not authenticate the network, so a rogue authenticator collects them; EAP-GTC and EAP-OTP send
// the password or one-time code itself. Medical devices and their gateways with an old 802.1X
// client often use EAP-MD5. Finding on the supplicant; the detail says whether the authenticator
// accepted it (the server then takes these methods from anyone). High.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';

const NAMES: Record<string, string> = { md5: 'EAP-MD5', leap: 'LEAP', gtc: 'EAP-GTC', otp: 'EAP-OTP' };
const CLEAR = new Set(['gtc', 'otp']);

export function weakEap(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    if (d.mac === null) continue;
    const obs = ctx.obs.eap.get(d.mac);
    if (obs === undefined || obs.length === 0) continue;
    const methods = [...new Set(obs.map((o) => o.method))].sort();
    const names = methods.map((m) => NAMES[m] ?? m);
    const identities = [...new Set(obs.map((o) => o.identity).filter((i) => i !== ''))].sort();
    const accepted = obs.filter((o) => o.result === 'success');
    const clear = methods.some((m) => CLEAR.has(m));
    const how = clear
      ? 'sends the password (or one-time code) itself, readable by anyone on the link'
      : 'sends a hash of the password and the authenticator\'s challenge, from which an offline dictionary attack recovers the password, and does not authenticate the network, so a rogue switch or access point collects such hashes';
    const verdict = accepted.length > 0
      ? ` The authenticator ${listText([...new Set(accepted.map((o) => o.authenticator))].sort())} accepted it: the authentication server allows ${listText(names)} for this device.`
      : obs.some((o) => o.result === 'failure')
        ? ' The authenticator refused it (a wrong password), and may let the device try again.'
        : '';
    out.push(
      makeFinding('weak-eap', d, {
        key: methods.join(','),
        title: `802.1X with ${listText(names)} (${clear ? 'password in clear' : 'password open to offline guessing'})`,
        detail: `${d.mac} authenticates to its port with ${listText(names)}${identities.length > 0 ? ` as ${listText(identities.map((i) => `"${i}"`))}` : ''}, which ${how}.${verdict}`,
        evidence: obs.flatMap((o) => (o.resultEvidence !== null ? [o.evidence, o.resultEvidence] : [o.evidence])),
      }),
    );
  }
  return out;
}
