import { Navigate, Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { PostmortemSettingsPage } from '../postmortems/postmortem-settings-page';
import { AuditPage } from './audit-page';
import { DeliveriesPage } from './deliveries-page';
import { IncidentResponsePage } from './incident-response-page';
import { NotificationsPage } from './notifications-page';
import { NotifiersPage } from './notifiers-page';
import { ProfilePage } from './profile-page';
import { SettingsLayout } from './settings-layout';
import { TeamPage } from './team-page';
import { TeamsPage } from './teams-page';
import { UsersPage } from './users-page';

/** Everything under /settings; loaded on demand (see app.tsx). */
export function SettingsRoutes() {
  return (
    <Routes>
      <Route element={<SettingsLayout />}>
        <Route index element={<Navigate to="/settings/profile" replace />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="teams" element={<TeamsPage />} />
        <Route path="teams/:teamId" element={<TeamPage />} />
        <Route path="notifiers" element={<NotifiersPage />} />
        <Route path="deliveries" element={<DeliveriesPage />} />
        <Route path="incident-response" element={<IncidentResponsePage />} />
        <Route path="postmortems" element={<PostmortemSettingsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
