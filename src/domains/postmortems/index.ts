// The postmortems domain's public face: postmortems drafted from resolved incidents, the
// blameless-language check, reviews, action items with tracker export and sync.
export {
  checkBlameless,
  defaultBlamelessTerms,
  splitSentences,
  type BlamelessFinding,
  type BlamelessOptions,
  type BlamelessTerm,
} from './blameless.js';
export {
  actionPriorities,
  actionStatuses,
  checkPostmortemTransition,
  draftSections,
  isOverdue,
  postmortemMarkdown,
  postmortemSections,
  postmortemStatuses,
  priorityMeaning,
  sectionIds,
  statusFromTracker,
  trackers,
  type ActionItem,
  type ActionPriority,
  type ActionStatus,
  type Postmortem,
  type PostmortemStatus,
  type SectionId,
  type Sections,
  type TrackerKind,
} from './postmortem.js';
export * from './postmortems.schema.js';
export {
  defaultPostmortemSettings,
  PostmortemsService,
  type PostmortemDetail,
  type PostmortemSettings,
  type PostmortemSettingsView,
  type PostmortemSummary,
} from './postmortems.service.js';
export type {
  TrackerConfig,
  TrackerIssueInput,
  TrackerPort,
  TrackerState,
} from './tracker-port.js';
export {
  BURN_IN_MS,
  burnInChecklist,
  periodicChecklist,
  reviewDue,
  type ServiceReview,
} from './service-review.js';
export { ServiceReviewsService, type PeopleNotifier } from './service-reviews.service.js';
