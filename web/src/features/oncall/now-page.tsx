import { PageHeader } from '../../ui/page-header';
import { OnCallCards } from './on-call-cards';

/** /on-call: who is on call right now, on every schedule the user can read. */
export function NowPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Who is on call now"
        description="The final schedule at this moment: overrides first, then the highest layer with someone on call."
      />
      <OnCallCards />
    </>
  );
}
