// The store's public face for the folders above it.
export * from './database.js';
export * from './lease.js';
export * from './migrate.js';
export * from './schema.js';
export * from './wakeup.js';
export * from './presence.js';
export * from './config-version.js';
export * from './prepared-query.js';
export * from './first-start-lock.js';
export * from './data-dir-lock.js';
export * from './backup.js';
