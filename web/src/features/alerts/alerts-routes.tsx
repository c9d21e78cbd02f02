import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { AlertPage } from './alert-page';
import { AlertsLayout } from './alerts-layout';
import { AlertsPage } from './alerts-page';
import { MaintenancePage } from './maintenance-page';
import { RulesPage } from './rules-page';
import { SilencesPage } from './silences-page';

/** Everything under /alerts; loaded on demand (see app.tsx). */
export function AlertsRoutes() {
  return (
    <Routes>
      <Route element={<AlertsLayout />}>
        <Route index element={<AlertsPage />} />
        <Route path="silences" element={<SilencesPage />} />
        <Route path="maintenance" element={<MaintenancePage />} />
        <Route path="rules" element={<RulesPage />} />
      </Route>
      <Route path=":alertId" element={<AlertPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
