import { Button, Code, CopyButton, Group, Stack, Text, Title } from '@mantine/core';

interface CopyCodeProps {
  title: string;
  description?: string;
  code: string;
  /** Marks the block for tests (`getByTestId`). */
  testId?: string;
}

/** A titled block of code with a copy button named "Copy <title>". */
export function CopyCode({ title, description, code, testId }: CopyCodeProps) {
  return (
    <Stack gap={6}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Title order={3} size="h5">
            {title}
          </Title>
          {description ? (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          ) : null}
        </div>
        <CopyButton value={code}>
          {({ copied, copy }) => (
            <Button
              size="xs"
              variant="light"
              color={copied ? 'teal' : undefined}
              aria-label={`Copy ${title}`}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {code}
      </Code>
    </Stack>
  );
}
