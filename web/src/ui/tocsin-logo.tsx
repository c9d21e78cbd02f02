interface TocsinLogoProps {
  size?: number;
}

/** The Tocsin mark: an alarm bell. Decorative; the product name is always written next to it. */
export function TocsinLogo({ size = 28 }: TocsinLogoProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="var(--mantine-color-red-6)"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      <path d="M2 4.5 4 6M22 4.5 20 6" />
    </svg>
  );
}
