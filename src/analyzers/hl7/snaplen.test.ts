// HL7 over MLLP cut by a snap length: tapirx's HL7-ORU.pcap cut to 128 bytes a frame with editcap
// (test/fixtures/generated/snaplen). Each message keeps only its first bytes, the MSH segment's
// start. What tshark captured of each message (tcp.payload, beside the capture) is the
// expectation: the header fields complete before the cut are logged, the one the cut split is
// left out rather than logged short, and the message is marked truncated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';

const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'snaplen');

test('HL7-ORU.pcap cut to 128 bytes: each message header as far as the capture kept it whole', async () => {
  const rows = readTsharkFields(join(dir, 'HL7-ORU-snap128.tshark.tsv')).slice(1);
  // The frames that start an MLLP block (0x0b): the ORU and its acknowledgement.
  const starts = rows.filter((r) => r[4].startsWith('0b')).map((r) => {
    const text = Buffer.from(r[4], 'hex').toString('latin1').slice(1);
    const fields = text.split('|');
    fields.pop(); // the field the cut split
    return { port: Number(r[3]), fields };
  });
  assert.equal(starts.length, 2);
  const run = await runCaptures([join(dir, 'HL7-ORU-snap128.pcap')]);
  try {
    const hl7 = run.log('hl7');
    assert.equal(hl7.length, 2);
    for (const [i, s] of starts.entries()) {
      const l = hl7[i];
      // MSH-3..6 are fields[2..5] (MSH-1 is the separator itself).
      assert.equal(l.sending_application, s.fields[2]);
      assert.equal(l.sending_facility, s.fields[3]);
      assert.equal(l.receiving_application, s.fields[4]);
      assert.equal(l.receiving_facility, s.fields[5]);
      assert.equal(l.truncated, true);
      // Cut before MSH-9 and MSH-10: no message type or control id is made up.
      assert.ok(s.fields.length <= 8);
      assert.equal(l.message_type, undefined);
      assert.equal(l.control_id, undefined);
    }
    assert.equal(run.log('conn')[0].service, 'hl7');
    assert.ok(!('hl7.not_mllp' in run.result.weirds));
  } finally {
    run.cleanup();
  }
});
