// The PostgreSQL state backend's public face (see README.md in this folder).
export { PostgresStateStore, type PostgresStoreOptions } from './store.js';
export { describeHolder } from './holders.js';
export { maskUrl, redact } from './redact.js';
export { SCHEMA_VERSION } from './migrations.js';
export { CHECKPOINT_EVERY } from './history.js';
