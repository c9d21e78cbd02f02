// The reports domain's public face: MTTA / MTTR, incidents, availability, alert noise, on-call
// load and overdue action items, as JSON for charts and as CSV.
export {
  availability,
  bucketStart,
  bucketsBetween,
  downtimeMinutesPerYear,
  pageHours,
  reportBuckets,
  toCsv,
  trendOf,
  unionLength,
  type ReportBucket,
} from './report.js';
export * from './reports.schema.js';
export { ReportsService, type Report } from './reports.service.js';
