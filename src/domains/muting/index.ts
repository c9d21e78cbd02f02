// The muting domain's public face: silences, maintenance windows, inhibition rules, matchers.
export {
  allMatch,
  matcherHolds,
  matcherSchema,
  matchersSchema,
  isValidPattern,
  checkedMatchersSchema,
  type Matcher,
} from './matchers.js';
export {
  decideMute,
  isActive,
  type InhibitRule,
  type MaintenanceWindow,
  type MuteContext,
  type MuteDecision,
  type MuteInput,
  type Silence,
} from './muting.js';
export {
  createInhibitRuleSchema,
  createMaintenanceSchema,
  createSilenceSchema,
  previewMatchersSchema,
  type CreateInhibitRuleInput,
  type CreateMaintenanceInput,
  type CreateSilenceInput,
} from './muting.schema.js';
export { loadMuteRules, MutingService } from './muting.service.js';
