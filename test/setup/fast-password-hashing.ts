import { lowerPasswordHashCostForTests } from '../../src/domains/identity/password.js';

// Vitest setup for the `unit` project: scrypt at a test cost, so the thousands of users the suite
// signs in do not cost ~150 ms of CPU each. Tocsin itself always hashes at its production cost
// (src/domains/identity/identity.test.ts checks it); the e2e project runs the built server as is.
lowerPasswordHashCostForTests();
