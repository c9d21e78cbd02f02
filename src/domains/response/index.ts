// The response domain's public face: declaring and running incidents (severity, roles,
// checklists, notes, stakeholder updates and reminders, tickets, the Markdown export).
export {
  checkTransition,
  defaultResponseSettings,
  exportMarkdown,
  formatDuration,
  nextReminderAt,
  responseRoles,
  urgencyOfSeverity,
  warRoomName,
  type ResponseRole,
  type ResponseSettings,
  type RoleDefinition,
  type SeverityDefinition,
} from './response.js';
export * from './response.schema.js';
export {
  ResponseService,
  saveResponseSettingsIn,
  type IncidentDetail,
  type RetryingWarRoomPort,
  type Ticket,
} from './response.service.js';
export { parseSlashCommand, slashHelp, type SlashCommand, type WarRoomPort } from './war-room.js';
