import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { CheckPage } from './check-page';
import { ChecksPage } from './checks-page';

/** Everything under /checks; loaded on demand (see app.tsx). */
export function ChecksRoutes() {
  return (
    <Routes>
      <Route index element={<ChecksPage />} />
      <Route path=":checkId" element={<CheckPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
