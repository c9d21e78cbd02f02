import { SectionLayout } from '../../ui/section-layout';
import { useCurrentUser } from '../auth/current-user';
import { SETTINGS_SECTIONS } from './settings-sections';

/** Settings: a heading, the sub-navigation (admin-only sections for org admins) and the section. */
export function SettingsLayout() {
  const { user } = useCurrentUser();
  const sections = SETTINGS_SECTIONS.filter((s) => user.isOrgAdmin || !s.orgAdminOnly);
  return <SectionLayout title="Settings" sections={sections} />;
}
