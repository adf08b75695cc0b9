// cryptomining: the device mines crypto-currency — it logged in to a mining pool, or (joined
// mid-way) submitted shares to one or took its jobs (stratum.log) — or runs a crypto-currency
// node (Bitcoin's peer-to-peer protocol, bitcoin.log). Mining on a hospital device means it was
// compromised (miners are the commonest payload of IoT botnets and of exploited servers) or is
// misused; either way it burns the device's CPU, which on a medical device can delay what it
// exists to do. A node is unsanctioned software trading data with Internet peers, and a miner's
// companion. Finding on the miner or node; a miner is high (critical on a medical or IoT device),
// a node alone medium (high on a medical or IoT device).
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { MiningObs } from '../observe.js';
import { isMedical } from '../segments.js';

const DIALECT: Record<string, string> = { stratum: 'Stratum', cryptonote: 'CryptoNote (Monero) Stratum', ethereum: 'Ethereum Stratum' };

const NODE_REMEDIATION =
  "Find out who installed the wallet or node and why; remove it unless it is sanctioned, and check the device for a miner and for how unsanctioned software got on it. Block Bitcoin's peer-to-peer port (TCP 8333) outbound for devices that do not need it, and allow only the Internet destinations each device needs (wardline policy writes those rules from the observed traffic).";

const byPool = (a: MiningObs, b: MiningObs): number => (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0);

export function cryptomining(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const pools: MiningObs[] = [];
    const nodes: MiningObs[] = [];
    for (const h of ctx.hostsOf(d)) for (const o of h.mining.values()) (o.dialect === 'bitcoin-p2p' ? nodes : pools).push(o);
    if (pools.length === 0 && nodes.length === 0) continue;
    pools.sort(byPool);
    nodes.sort(byPool);
    const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
    const agents = [...new Set([...pools, ...nodes].map((p) => p.agent).filter((a) => a !== ''))].sort();
    const nodeText = nodes.length > 0 ? `runs a crypto-currency node (${listText(nodes.map((n) => `${n.pool}, ${n.count} ${n.count === 1 ? 'connection' : 'connections'} to peers`), 3)})` : '';
    if (pools.length > 0) {
      const names = pools.map((p) => (p.poolHost !== '' ? `${p.poolHost} (${p.pool})` : p.pool));
      const dialects = [...new Set(pools.map((p) => DIALECT[p.dialect] ?? p.dialect))].sort();
      out.push(
        makeFinding('cryptomining', d, {
          key: 'mining',
          title: `Crypto-currency mining${agents.length > 0 ? ` (${listText(agents, 2)})` : ''}`,
          detail: `The device mines crypto-currency: it worked for ${pools.length === 1 ? 'the mining pool' : `${pools.length} mining pools`} ${listText(names, 3)} over ${listText(dialects, 3)}${agents.length > 0 ? `, with ${listText(agents, 3)}` : ''}${nodeText !== '' ? `, and ${nodeText}` : ''}. A miner on a hospital device is a sign of compromise (miners are the usual payload of IoT botnets and of exploited servers) or of misuse, and it takes the CPU the device needs${sensitive ? '; on a medical or IoT device it can slow or stop its clinical function' : ''}.`,
          evidence: [...pools, ...nodes].map((p) => p.evidence),
          severity: sensitive ? 'critical' : undefined,
        }),
      );
      continue;
    }
    out.push(
      makeFinding('cryptomining', d, {
        key: 'node',
        title: `Crypto-currency node (Bitcoin peer-to-peer)${agents.length > 0 ? ` (${listText(agents, 2)})` : ''}`,
        detail: `The device ${nodeText}: it exchanges blocks and transactions with peers on the Internet. A wallet or node on a hospital device is unsanctioned software that opens it to the Internet and often comes with a miner${sensitive ? '; on a medical or IoT device it takes resources from its clinical function' : ''}.`,
        evidence: nodes.map((p) => p.evidence),
        severity: sensitive ? 'high' : 'medium',
        remediation: NODE_REMEDIATION,
      }),
    );
  }
  return out;
}
