// The audit domain's public face.
export { AuditService } from './audit.service.js';
export { auditQuerySchema } from './audit.schema.js';
export { scrubSecrets, type AuditEntry, type AuditEvent } from './audit.js';
