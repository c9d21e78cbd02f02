// The demo domain's public face: first-start initialisation.
export { initialiseOrganisation, type FirstStartResult } from './demo.service.js';
export { demoOrganisation, defaultAdminEmail } from './demo.js';
