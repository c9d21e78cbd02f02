import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/not-found-page';
import { MyShiftsPage } from './my-shifts-page';
import { NowPage } from './now-page';
import { OncallLayout } from './oncall-layout';
import { PoliciesPage } from './policies-page';
import { SchedulePage } from './schedule-page';
import { SchedulesPage } from './schedules-page';

/** Everything under /on-call; loaded on demand (see app.tsx). */
export function OncallRoutes() {
  return (
    <Routes>
      <Route element={<OncallLayout />}>
        <Route index element={<NowPage />} />
        <Route path="schedules" element={<SchedulesPage />} />
        <Route path="schedules/:scheduleId" element={<SchedulePage />} />
        <Route path="policies" element={<PoliciesPage />} />
        <Route path="my-shifts" element={<MyShiftsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
