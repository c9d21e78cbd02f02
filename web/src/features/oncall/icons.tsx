/* Small decorative icons for icon-only buttons; the buttons carry the accessible names. */

function Icon({ d }: { d: string }) {
  return (
    <svg
      width={16}
      height={16}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={d} />
    </svg>
  );
}

export function RemoveIcon() {
  return <Icon d="M18 6 6 18M6 6l12 12" />;
}

export function UpIcon() {
  return <Icon d="m18 15-6-6-6 6" />;
}

export function DownIcon() {
  return <Icon d="m6 9 6 6 6-6" />;
}
