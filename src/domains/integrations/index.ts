// The integrations domain's public face: inbound keys per service.
export { IntegrationsService } from './integrations.service.js';
export {
  createIntegrationSchema,
  defaultRateLimitPerMinute,
  type CreateIntegrationInput,
} from './integrations.schema.js';
export { hashIntegrationKey, newIntegrationKey, type Integration } from './integration.js';
