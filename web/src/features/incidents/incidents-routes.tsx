import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { IncidentPage } from './incident-page';
import { IncidentsPage } from './incidents-page';

/** Everything under /incidents; loaded on demand (see app.tsx). */
export function IncidentsRoutes() {
  return (
    <Routes>
      <Route index element={<IncidentsPage />} />
      <Route path=":incidentId" element={<IncidentPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
