import { Center, Loader } from '@mantine/core';

interface LoadingBlockProps {
  label?: string;
  /** Fill the viewport (while the session is being checked). */
  fullScreen?: boolean;
}

/** A centered spinner with an accessible label. */
export function LoadingBlock({ label = 'Loading', fullScreen = false }: LoadingBlockProps) {
  return (
    <Center h={fullScreen ? '100vh' : undefined} py={fullScreen ? undefined : 'xl'}>
      <Loader aria-label={label} role="status" />
    </Center>
  );
}
