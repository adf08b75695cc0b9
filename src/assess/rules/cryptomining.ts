// cryptomining: the device mines crypto-currency — it logged in to a mining pool, or (joined
// mid-way) submitted shares to one or took its jobs (stratum.log). Mining on a hospital device
// means it was compromised (miners are the commonest payload of IoT botnets and of exploited
// servers) or is misused; either way it burns the device's CPU, which on a medical device can
// delay what it exists to do. Finding on the miner; critical on a medical or IoT device.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { MiningObs } from '../observe.js';
import { isMedical } from '../segments.js';

const DIALECT: Record<string, string> = { stratum: 'Stratum', cryptonote: 'CryptoNote (Monero) Stratum', ethereum: 'Ethereum Stratum' };

export function cryptomining(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const pools: MiningObs[] = [];
    for (const h of ctx.hostsOf(d)) for (const o of h.mining.values()) pools.push(o);
    if (pools.length === 0) continue;
    pools.sort((a, b) => (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
    const agents = [...new Set(pools.map((p) => p.agent).filter((a) => a !== ''))].sort();
    const names = pools.map((p) => (p.poolHost !== '' ? `${p.poolHost} (${p.pool})` : p.pool));
    const dialects = [...new Set(pools.map((p) => DIALECT[p.dialect] ?? p.dialect))].sort();
    const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
    out.push(
      makeFinding('cryptomining', d, {
        key: 'mining',
        title: `Crypto-currency mining${agents.length > 0 ? ` (${listText(agents, 2)})` : ''}`,
        detail: `The device mines crypto-currency: it worked for ${pools.length === 1 ? 'the mining pool' : `${pools.length} mining pools`} ${listText(names, 3)} over ${listText(dialects, 3)}${agents.length > 0 ? `, with ${listText(agents, 3)}` : ''}. A miner on a hospital device is a sign of compromise (miners are the usual payload of IoT botnets and of exploited servers) or of misuse, and it takes the CPU the device needs${sensitive ? '; on a medical or IoT device it can slow or stop its clinical function' : ''}.`,
        evidence: pools.map((p) => p.evidence),
        severity: sensitive ? 'critical' : undefined,
      }),
    );
  }
  return out;
}
