import { MantineProvider, localStorageColorSchemeManager } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { isApiError } from './api/client';
import { LoginPage } from './features/auth/login-page';
import { RequireAuth } from './features/auth/require-auth';
import { UnauthorizedRedirect } from './features/auth/unauthorized-redirect';
import { AppLayout } from './features/layout/app-layout';
import { NotFoundPage } from './features/layout/not-found-page';
import { PlaceholderPage } from './features/placeholders/placeholder-page';
import { PLACEHOLDERS } from './features/placeholders/placeholders';
import { ServicesPage } from './features/services/services-page';
import { cssVariablesResolver, theme } from './theme';
import { AnnouncerProvider } from './ui/announcer';
import { LoadingBlock } from './ui/loading-block';

// Settings are visited less often than the rest: their code is loaded on demand.
const SettingsRoutes = lazy(() =>
  import('./features/settings/settings-routes').then((m) => ({ default: m.SettingsRoutes })),
);
// Alerts, incidents and a service's page are bigger: loaded on demand too.
const AlertsRoutes = lazy(() =>
  import('./features/alerts/alerts-routes').then((m) => ({ default: m.AlertsRoutes })),
);
const IncidentsRoutes = lazy(() =>
  import('./features/incidents/incidents-routes').then((m) => ({ default: m.IncidentsRoutes })),
);
const ServicePage = lazy(() =>
  import('./features/services/service-page').then((m) => ({ default: m.ServicePage })),
);
const PostmortemsRoutes = lazy(() =>
  import('./features/postmortems/postmortems-routes').then((m) => ({
    default: m.PostmortemsRoutes,
  })),
);
const ReportsPage = lazy(() =>
  import('./features/reports/reports-page').then((m) => ({ default: m.ReportsPage })),
);
const StatusPagesRoutes = lazy(() =>
  import('./features/status-pages/status-pages-routes').then((m) => ({
    default: m.StatusPagesRoutes,
  })),
);
const ChecksRoutes = lazy(() =>
  import('./features/checks/checks-routes').then((m) => ({ default: m.ChecksRoutes })),
);
// The home page and on-call draw on-call, incident and notification data: on demand as well.
const HomePage = lazy(() =>
  import('./features/home/home-page').then((m) => ({ default: m.HomePage })),
);
const OncallRoutes = lazy(() =>
  import('./features/oncall/oncall-routes').then((m) => ({ default: m.OncallRoutes })),
);

const colorSchemeManager = localStorageColorSchemeManager({ key: 'tocsin-color-scheme' });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not get better by asking again; network errors and 5xx might.
      retry: (failureCount, error) =>
        !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
    mutations: { retry: false },
  },
});

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route element={<AppLayout />}>
          <Route
            index
            element={
              <Suspense fallback={<LoadingBlock label="Loading home" />}>
                <HomePage />
              </Suspense>
            }
          />
          {PLACEHOLDERS.map((placeholder) => (
            <Route
              key={placeholder.path}
              path={placeholder.path}
              element={<PlaceholderPage {...placeholder} />}
            />
          ))}
          <Route
            path="/incidents/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading incidents" />}>
                <IncidentsRoutes />
              </Suspense>
            }
          />
          <Route
            path="/on-call/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading on-call" />}>
                <OncallRoutes />
              </Suspense>
            }
          />
          <Route
            path="/alerts/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading alerts" />}>
                <AlertsRoutes />
              </Suspense>
            }
          />
          <Route path="/services" element={<ServicesPage />} />
          <Route
            path="/services/:serviceId"
            element={
              <Suspense fallback={<LoadingBlock label="Loading service" />}>
                <ServicePage />
              </Suspense>
            }
          />
          <Route
            path="/postmortems/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading postmortems" />}>
                <PostmortemsRoutes />
              </Suspense>
            }
          />
          <Route
            path="/reports"
            element={
              <Suspense fallback={<LoadingBlock label="Loading reports" />}>
                <ReportsPage />
              </Suspense>
            }
          />
          <Route
            path="/status-pages/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading status pages" />}>
                <StatusPagesRoutes />
              </Suspense>
            }
          />
          <Route
            path="/checks/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading checks" />}>
                <ChecksRoutes />
              </Suspense>
            }
          />
          <Route
            path="/settings/*"
            element={
              <Suspense fallback={<LoadingBlock label="Loading settings" />}>
                <SettingsRoutes />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      colorSchemeManager={colorSchemeManager}
      cssVariablesResolver={cssVariablesResolver}
    >
      <QueryClientProvider client={queryClient}>
        <AnnouncerProvider>
          <BrowserRouter>
            <UnauthorizedRedirect />
            <AppRoutes />
          </BrowserRouter>
        </AnnouncerProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
