// eol-os: the device's operating system is past its vendor end of support on --as-of
// (endoflife.date release cycles; Windows NT versions mapped to cycles by knowledge/windows.ts).
import { knowledgeEvidence, type Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';
import { judgeEol } from '../identity.js';

export function eolOs(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const j = judgeEol(d, ctx.kb, ctx.asOf);
    if (j === null || !j.eol) continue;
    // What says which OS it runs: OS facts and user agents (a browser's own words), else the
    // product banners the OS was read from (an SSH ident names its distribution release).
    let osEvidence = d.evidence.filter((e) => e.fact === 'os' || e.fact === 'user_agent');
    if (osEvidence.length === 0) osEvidence = d.evidence.filter((e) => e.fact === 'software');
    const when = j.date !== null ? `ended ${j.date}` : 'has ended (no date published)';
    out.push(
      makeFinding('eol-os', d, {
        key: `${j.product}/${j.cycle}`,
        detail:
          j.alternatives !== undefined
            ? `${d.os!.name} may be ${j.alternatives.join(' or ')}; vendor support of each has ended (the last ${j.date ?? 'without a published date'}: endoflife.date ${j.product} ${j.cycle}), before ${ctx.asOf}. None receives security updates.`
            : `${release(d.os!.name, d.os!.version, j.name)}: vendor support ${when} (endoflife.date ${j.product} ${j.cycle}), before ${ctx.asOf}. It receives no security updates.`,
        evidence: [
          ...osEvidence,
          knowledgeEvidence('eol', `${j.product} ${j.cycle}: end of support ${j.date ?? 'passed'}`, `endoflife.${j.product}`, `endoflife/products/${j.product}.md`),
        ],
      }),
    );
  }
  return out;
}

/**
 * The OS as the device showed it and the release it is, without saying a name twice: "Debian 12
 * (Bookworm)" for "Debian 12", "Windows 7 (6.1.7601), that is Windows 7 SP1" where they differ.
 */
function release(name: string, version: string | null, cycle: string): string {
  const ver = version && !name.includes(version) ? ` (${version})` : '';
  if (cycle.toLowerCase().includes(name.toLowerCase())) return `${cycle}${ver}`;
  return `${name}${ver}, that is ${cycle}`;
}
