import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { StatusPageDetailPage } from './status-page-detail';
import { StatusPagesPage } from './status-pages-page';

/** Everything under /status-pages; loaded on demand (see app.tsx). */
export function StatusPagesRoutes() {
  return (
    <Routes>
      <Route index element={<StatusPagesPage />} />
      <Route path=":pageId" element={<StatusPageDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
