// A detector context for unit tests of one detector on synthetic connection views: the default
// configuration (with overrides), an alert book whose new alerts are collected, no classification.
import { Analysis } from '../engine/analyze.js';
import type { Alert } from '../report/alert.js';
import { attackTechniques } from '../report/attack.js';
import { Monitor } from './monitor.js';
import { AlertBook } from './alerts.js';
import { monitorConfig, type MonitorConfig } from './config.js';
import { NetSet } from './net.js';
import type { ConnView, DetectorContext } from './view.js';
import { parseV4 } from './net.js';

export function detectorContext(over: Partial<MonitorConfig> = {}): { ctx: DetectorContext; book: AlertBook; alerts: Alert[] } {
  const cfg = monitorConfig(over);
  const alerts: Alert[] = [];
  const book = new AlertBook({ quietGapSecs: cfg.quietGapSecs, maxEvidence: cfg.maxEvidence, maxOpen: cfg.maxOpenAlerts, maxKept: cfg.maxKeptAlerts }, (a, phase) => {
    if (phase === 'new') alerts.push(a);
  });
  const ctx: DetectorContext = {
    cfg,
    book,
    internal: new NetSet(cfg.internalNets),
    deviceId: (ip) => `ip:${ip}`,
    category: () => null,
    classified: false,
    file: () => 'synthetic.pcap',
  };
  return { ctx, book, alerts };
}

/** A connection view between two internal IPv4 hosts: a TCP connection unless `over` says otherwise. */
export function connView(orig: string, resp: string, over: Partial<ConnView> & Pick<ConnView, 'rPort' | 'start' | 'end' | 'packet'>): ConnView {
  return {
    orig,
    resp,
    origV4: parseV4(orig) ?? -1,
    respV4: parseV4(resp) ?? -1,
    oPort: 50000,
    proto: 'tcp',
    tcp: true,
    service: '',
    state: 'SF',
    answered: true,
    synNoData: false,
    origSyn: false,
    respRst: false,
    bareAttempt: false,
    stealth: false,
    loneAck: 0,
    origMac: null,
    respMac: null,
    origMacNum: 0,
    vlan: -1,
    origInternal: true,
    respInternal: true,
    origBytes: 0,
    respBytes: 0,
    origPkts: 0,
    respPkts: 0,
    file: 'synthetic.pcap',
    ...over,
  };
}

/** The alerts the monitor raises over captures (the whole engine, as `wardline monitor --replay` runs it), with `config` over the defaults. */
export async function monitorCaptures(paths: string[], config: Partial<MonitorConfig> = {}): Promise<Alert[]> {
  let a: Analysis | null = null;
  const mon = new Monitor({ config, deviceCategory: () => null, fileName: (i) => a!.paths[i] });
  a = new Analysis({ outDir: null, ...mon.hooks() });
  await a.run(paths);
  return mon.finish();
}

/** The ATT&CK techniques the report gives an alert's finding. */
export function alertTechniques(a: Alert): string[] {
  return attackTechniques({ rule: a.rule, title: '', detail: a.why } as Parameters<typeof attackTechniques>[0]).map((t) => t.uid);
}
