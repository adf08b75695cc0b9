// IntelliVue Data Export messages for tests. No public capture of a Philips monitor's LAN export
// exists to test against, so these are built field by field from the layouts of Philips' Data
// Export Interface Programming Guide (as parse.ts documents them), with the values a real
// IntelliVue MP70 (model number M8007A) announces. Synthetic: the tests that use them say so.

export function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [...u16(Math.floor(n / 65536)), ...u16(n & 0xffff)];
}

/** A VariableLabel: u16 length, ASCII bytes (padded to an even length with NUL). */
export function label(s: string): number[] {
  const b = [...Buffer.from(s, 'latin1')];
  if (b.length % 2 === 1) b.push(0);
  return [...u16(b.length), ...b];
}

/** A String: u16 byte length, UTF-16BE characters. */
export function unicode(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(...u16(ch.charCodeAt(0)));
  return [...u16(out.length), ...out];
}

export function attr(id: number, value: number[]): number[] {
  return [...u16(id), ...u16(value.length), ...value];
}

export function attrList(attrs: number[][]): number[] {
  const body = attrs.flat();
  return [...u16(attrs.length), ...u16(body.length), ...body];
}

/** The MDS attributes of a monitor: system type, model, production specification, MAC/IP, bed label. */
export function mdsAttributes(o: { systemType?: number; manufacturer?: string; model?: string; serial?: string; software?: string; mac?: number[]; ip?: number[]; bed?: string } = {}): number[][] {
  const spec = [
    [...u16(1), ...u16(8), ...label(o.serial ?? 'DE12345678')],
    [...u16(2), ...u16(8), ...label('M8007A')],
    [...u16(4), ...u16(0x58), ...label(o.software ?? 'G.01.78')],
    [...u16(5), ...u16(0x78), ...label('--------')],
  ];
  const specBody = spec.flat();
  const mac = o.mac ?? [0x00, 0x09, 0xfb, 0x12, 0x34, 0x56];
  return [
    attr(0x0986, [...u16(1), ...u16(o.systemType ?? 4429)]),
    attr(0x0928, [...label(o.manufacturer ?? 'Philips'), ...label(o.model ?? 'M8007A')]),
    attr(0x092d, [...u16(spec.length), ...u16(specBody.length), ...specBody]),
    attr(0xf100, [...mac, ...(o.ip ?? [10, 40, 1, 21]), 255, 255, 255, 0]),
    attr(0x091e, unicode(o.bed ?? 'ICU-4 BED 12')),
  ];
}

/** Nomenclature · ROapdus · ROIVapdu · EventReportArgument(NOM_NOTI_CONN_INDIC) · AttributeList. */
export function connectIndication(attrs: number[][] = mdsAttributes()): Uint8Array {
  const list = attrList(attrs);
  const arg = [...u16(35), ...u16(0), ...u16(0), ...u32(0x0000d6d4), ...u16(0x0d17), ...u16(list.length), ...list];
  const roiv = [...u16(0), ...u16(0), ...u16(arg.length), ...arg];
  return Uint8Array.from([0x00, 0x00, 0x01, 0x00, ...u16(1), ...u16(roiv.length), ...roiv]);
}

/** An association control message: session type byte, length indicator, then `body`. */
export function session(type: number, body: number[] = [0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02]): Uint8Array {
  return Uint8Array.from([type, body.length, ...body]);
}

function dataExport(roType: number, apdu: number[]): Uint8Array {
  return Uint8Array.from([0xe1, 0x00, ...u16(2), ...u16(roType), ...u16(apdu.length), ...apdu]);
}

/** SPpdu · ROIV(CMD_CONFIRMED_EVENT_REPORT) · EventReportArgument(NOM_NOTI_MDS_CREAT) · MDSCreateInfo. */
export function mdsCreate(attrs: number[][] = mdsAttributes()): Uint8Array {
  const info = [...u16(33), ...u16(0), ...u16(0), ...attrList(attrs)];
  const arg = [...u16(33), ...u16(0), ...u16(0), ...u32(0x1000), ...u16(0x0d06), ...u16(info.length), ...info];
  return dataExport(1, [...u16(1), ...u16(1), ...u16(arg.length), ...arg]);
}

/**
 * SPpdu · RORS(CMD_CONFIRMED_ACTION) · ActionResult(NOM_ACT_POLL_MDIB_DATA) · PollMdibDataReply
 * for one object of class `objectClass` holding `attrs`.
 */
export function pollResult(objectClass: number, attrs: number[][]): Uint8Array {
  const obs = [...u16(1), ...attrList(attrs)];
  const obsList = [...u16(1), ...u16(obs.length), ...obs];
  const ctx = [...u16(0), ...obsList];
  const infoList = [...u16(1), ...u16(ctx.length), ...ctx];
  const reply = [...u16(7), ...u32(0x2000), ...new Array(8).fill(0), ...u16(1), ...u16(objectClass), ...u16(0x0807), ...infoList];
  const result = [...u16(33), ...u16(0), ...u16(0), ...u16(0x0c16), ...u16(reply.length), ...reply];
  return dataExport(2, [...u16(7), ...u16(7), ...u16(result.length), ...result]);
}

/** Patient demographics attributes with a name, an id and a birth date. */
export function demographics(given = 'JANE', family = 'ROE', id = 'MRN0042'): number[][] {
  return [attr(0x095d, unicode(given)), attr(0x095c, unicode(family)), attr(0x095a, unicode(id)), attr(0x0958, [0x19, 0x71, 0x04, 0x02, 0xff, 0xff, 0xff, 0xff])];
}
