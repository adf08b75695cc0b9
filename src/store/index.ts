export { Store, mergeDevice } from './store.js';
export type { StoreOptions, RunKind, RunStatus, RunRecord, RunEnd, StoredFinding, FindingStatus, IdentityRecord, BaselineRow, SeenSpan } from './store.js';
export { StoreError, openDb, schemaVersion } from './db.js';
export { SCHEMA_VERSION } from './schema.js';
export { REDACTED, scrubJson, scrubEvidence } from './scrub.js';
