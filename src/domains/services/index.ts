// The services domain's public face.
export { loadService, ServicesService } from './services.service.js';
export {
  createServiceSchema,
  updateServiceSchema,
  type CreateServiceInput,
  type UpdateServiceInput,
} from './services.schema.js';
export type { Service } from './service.js';
export {
  defaultSeverityRouting,
  parseServiceSettings,
  routes,
  serviceSettingsSchema,
  severities,
  type Route,
  type ServiceSettings,
  type Severity,
  type SeverityRouting,
} from './service-settings.js';
