import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { PostmortemPage } from './postmortem-page';
import { PostmortemsPage } from './postmortems-page';

/** Everything under /postmortems; loaded on demand (see app.tsx). */
export function PostmortemsRoutes() {
  return (
    <Routes>
      <Route index element={<PostmortemsPage />} />
      <Route path=":postmortemId" element={<PostmortemPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
