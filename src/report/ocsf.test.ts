// toOcsf() against the OCSF 1.3.0 requirements of the classes it emits (schema.ocsf.io/1.3.0:
// base event, Device Inventory Info 5001, Vulnerability/Compliance/Detection Finding 2002/2003/
// 2004, and the device, os, finding_info, vulnerability, cve, compliance, product objects).
// Report: real corpus inputs with synthetic devices/findings (fixture.testutil.ts).
import { haveCorpus } from '../testutil/corpus.js';
import { strict as assert } from 'node:assert';
import { before, describe, test } from 'node:test';
import { toOcsf, OCSF_VERSION, ocsfClassOf, CLASS_COMPLIANCE_FINDING, CLASS_DETECTION_FINDING } from './ocsf.js';
import { RISKS } from '../assess/risks.js';
import type { Finding } from './model.js';
import { corpusReport, HOSTILE_HOSTNAME } from './fixture.testutil.js';
import type { ReportView } from './view.js';

type Obj = Record<string, unknown>;

const SEVERITY_IDS = new Set([0, 1, 2, 3, 4, 5, 6, 99]);
const DEVICE_TYPE_IDS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 99]);
const OS_TYPE_IDS = new Set([0, 99, 100, 101, 200, 201, 300, 301, 302, 400, 401, 402]);
/** class_uid -> [category_uid, allowed activity ids] */
const CLASSES: Record<number, [number, number[]]> = {
  5001: [5, [0, 1, 2, 99]],
  2002: [2, [0, 1, 2, 3, 99]],
  2003: [2, [0, 1, 2, 3, 99]],
  2004: [2, [0, 1, 2, 3, 99]],
};

function obj(x: unknown, what: string): Obj {
  assert.ok(x !== null && typeof x === 'object' && !Array.isArray(x), `${what} is an object`);
  return x as Obj;
}

function nonEmptyString(x: unknown, what: string): void {
  assert.ok(typeof x === 'string' && x.length > 0, `${what} is a non-empty string`);
}

/** The required attributes of the base event and of the class. */
function validate(e: Obj): void {
  const cls = e.class_uid as number;
  assert.ok(CLASSES[cls], `known class ${cls}`);
  const [cat, acts] = CLASSES[cls];
  assert.equal(e.category_uid, cat);
  assert.ok(Number.isInteger(e.activity_id) && acts.includes(e.activity_id as number), 'activity_id');
  assert.equal(e.type_uid, cls * 100 + (e.activity_id as number), 'type_uid = class_uid * 100 + activity_id');
  assert.ok(SEVERITY_IDS.has(e.severity_id as number), 'severity_id');
  assert.ok(Number.isInteger(e.time) && (e.time as number) > 0, 'time in epoch ms');
  const md = obj(e.metadata, 'metadata');
  assert.equal(md.version, OCSF_VERSION);
  assert.match(md.version as string, /^1\.\d+\.\d+$/);
  const prod = obj(md.product, 'metadata.product');
  nonEmptyString(prod.vendor_name, 'metadata.product.vendor_name');
  nonEmptyString(prod.name, 'metadata.product.name');
  if (cls === 5001) {
    validateDevice(obj(e.device, 'device'));
  } else {
    const fi = obj(e.finding_info, 'finding_info');
    nonEmptyString(fi.uid, 'finding_info.uid');
    nonEmptyString(fi.title, 'finding_info.title');
    const an = obj(fi.analytic, 'finding_info.analytic');
    assert.ok(Number.isInteger(an.type_id), 'analytic.type_id');
    if (e.device !== undefined) validateDevice(obj(e.device, 'device'));
  }
  if (cls === 2002) {
    const vs = e.vulnerabilities as Obj[];
    assert.ok(Array.isArray(vs) && vs.length > 0, 'vulnerabilities');
    for (const v of vs) {
      const cve = v.cve as Obj | undefined;
      const adv = v.advisory as Obj | undefined;
      assert.ok(cve || adv, 'a vulnerability names a CVE or an advisory');
      if (cve) assert.match(cve.uid as string, /^CVE-\d{4}-\d{4,}$/);
      if (adv) nonEmptyString(adv.uid, 'advisory.uid');
      if (cve?.cvss) for (const c of cve.cvss as Obj[]) assert.ok(typeof c.base_score === 'number' && typeof c.version === 'string');
    }
  }
  if (cls === 2003) {
    const c = obj(e.compliance, 'compliance');
    assert.ok(Array.isArray(c.standards) && c.standards.length > 0, 'compliance.standards');
    for (const s of c.standards as unknown[]) nonEmptyString(s, 'standard');
  }
}

function validateDevice(d: Obj): void {
  assert.ok(DEVICE_TYPE_IDS.has(d.type_id as number), 'device.type_id');
  assert.ok(d.hostname || d.ip || d.name || d.uid, 'device has hostname, ip, name or uid');
  if (d.os !== undefined) {
    const os = obj(d.os, 'device.os');
    nonEmptyString(os.name, 'os.name');
    assert.ok(OS_TYPE_IDS.has(os.type_id as number), 'os.type_id');
  }
}

describe('toOcsf()', { skip: !haveCorpus() && 'shared corpus not present' }, () => {
  let rep: ReportView;
  let events: Obj[];
  let out: string;
  before(async () => {
    rep = await corpusReport();
    out = toOcsf(rep);
    events = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Obj);
  });

  test('writes one JSON line per device and per finding, each with the required attributes', () => {
    assert.ok(out.endsWith('\n'));
    assert.equal(events.length, rep.devices.length + rep.findings.length);
    for (const e of events) validate(e);
    assert.equal(events.filter((e) => e.class_uid === 5001).length, rep.devices.length);
  });

  test('maps rules to classes: CVEs and advisories 2002, posture rules 2003, behaviour 2004', () => {
    const cls = new Map(events.filter((e) => e.class_uid !== 5001).map((e) => [(e.finding_info as Obj).uid as string, e.class_uid]));
    assert.equal(cls.get('f-kev-imaging'), 2002);
    assert.equal(cls.get('f-advisory-pump'), 2002);
    for (const id of ['f-eol-imaging', 'f-smbv1-ws', 'f-default-pump', 'f-phi-pump', 'f-hostile', 'f-mixed']) assert.equal(cls.get(id), 2003, id);
    assert.equal(cls.get('f-scan-ws'), 2004);
    // A behaviour rule names the ATT&CK technique it detects; a posture rule names none.
    const scan = events.find((e) => (e.finding_info as Obj | undefined)?.uid === 'f-scan-ws')!;
    assert.deepEqual((scan.finding_info as Obj).attacks, [{ technique: { uid: 'T1046', name: 'Network Service Discovery' }, tactic: { uid: 'TA0007', name: 'Discovery' }, version: '15' }]);
    const eol = events.find((e) => (e.finding_info as Obj | undefined)?.uid === 'f-eol-imaging')!;
    assert.equal((eol.finding_info as Obj).attacks, undefined);
    const kev = events.find((e) => (e.finding_info as Obj | undefined)?.uid === 'f-kev-imaging')!;
    const v = (kev.vulnerabilities as Obj[])[0];
    assert.deepEqual(v.cve, { uid: 'CVE-2019-0708', cvss: [{ base_score: 9.8, version: '3.1' }] });
    assert.equal(v.is_exploit_available, true);
    assert.equal(kev.severity_id, 5);
    const phi = events.find((e) => (e.finding_info as Obj | undefined)?.uid === 'f-phi-pump')!;
    assert.ok(((phi.compliance as Obj).standards as string[]).includes('HIPAA Security Rule'));
  });

  test('carries device identity and the evidence, timed by the capture, not the clock', () => {
    const pump = events.find((e) => e.class_uid === 5001 && (e.device as Obj).uid === 'mac:00:1b:63:aa:bb:01')!;
    const d = pump.device as Obj;
    assert.equal(d.hostname, HOSTILE_HOSTNAME, 'JSON carries the name verbatim; consumers escape');
    assert.equal(d.type_id, 7);
    assert.equal(d.risk_level, 'Critical');
    const dev = rep.devices.find((x) => x.id === 'mac:00:1b:63:aa:bb:01')!;
    assert.equal(pump.time, Math.round(dev.last_seen! * 1000));
    const ws = events.find((e) => e.class_uid === 5001 && (e.device as Obj).uid === 'mac:3c:52:82:ee:ff:03')!;
    assert.deepEqual((ws.device as Obj).os, { name: 'Windows 10', type_id: 100, type: 'Windows', version: '22H2' });
    const eol = events.find((e) => (e.finding_info as Obj | undefined)?.uid === 'f-eol-imaging')!;
    const f = rep.findings.find((x) => x.id === 'f-eol-imaging')!;
    assert.equal(eol.time, Math.round(f.evidence[0].ts * 1000));
    assert.deepEqual((eol.unmapped as Obj).evidence, f.evidence);
  });

  test('is deterministic and independent of input order', () => {
    assert.equal(toOcsf(rep), out);
    assert.equal(toOcsf({ ...rep, devices: [...rep.devices].reverse(), findings: [...rep.findings].reverse() }), out);
  });

  test('the validator rejects an event missing a required attribute', () => {
    const e = structuredClone(events.find((x) => x.class_uid === 2003)!);
    delete (e.compliance as Obj).standards;
    assert.throws(() => validate(e));
    const v = structuredClone(events.find((x) => x.class_uid === 5001)!);
    delete (v.device as Obj).type_id;
    assert.throws(() => validate(v));
  });
});

test('every posture rule of the risks table is a Compliance Finding; only CVE rules, threat-intelligence matches, mining, file sharing and behaviour are not', () => {
  const f = (rule: string): Finding => ({ id: `f-${rule}`, rule, severity: 'medium', device: 'ip:10.0.0.1', title: '', detail: '', evidence: [], remediation: '', cves: [] }) as Finding;
  for (const r of RISKS) {
    // A threat-intelligence match, a device mining crypto-currency or sharing files over
    // BitTorrent is something that happened (OCSF Detection Finding), not a setting.
    const want = ['vulnerability', 'known-exploited-vulnerability', 'medical-advisory', 'threat-intel', 'cryptomining', 'p2p-file-sharing'].includes(r.id) ? CLASS_DETECTION_FINDING : CLASS_COMPLIANCE_FINDING;
    assert.equal(ocsfClassOf(f(r.id)), want, r.id);
  }
});
