// The services domain's public face.
export { ServicesService } from './services.service.js';
export { createServiceSchema, type CreateServiceInput } from './services.schema.js';
export type { Service } from './service.js';
