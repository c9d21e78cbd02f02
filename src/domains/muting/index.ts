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
  muteRulesFingerprint,
  nextMuteBoundary,
  type MuteRules,
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
export {
  describeMute,
  loadAllMuteRules,
  loadInhibitRules,
  loadMuteRules,
  MutingService,
  type MuteDescription,
} from './muting.service.js';
