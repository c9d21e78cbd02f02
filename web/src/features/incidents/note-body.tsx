import { Anchor, Code, Group, Image, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { attachmentPath } from '../../api/incidents';
import type { NoteAttachment, NoteData } from '../../api/types';

/** A piece of a note: prose, or a fenced code block (log excerpts). */
export type NoteBlock =
  { kind: 'text'; text: string } | { kind: 'code'; language: string; code: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})\s*$/;

/**
 * Splits note Markdown into paragraphs and fenced code blocks. Nothing else of Markdown is
 * interpreted: the text is shown as written (never as HTML), which keeps notes safe to render.
 */
export function parseNote(markdown: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let prose: string[] = [];
  const flushProse = () => {
    const text = prose.join('\n');
    for (const paragraph of text.split(/\n\s*\n/)) {
      if (paragraph.trim())
        blocks.push({ kind: 'text', text: paragraph.replace(/^\n+|\s+$/g, '') });
    }
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) {
      prose.push(lines[i] ?? '');
      continue;
    }
    const fence = open[1] ?? '```';
    const code: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const close = CLOSING_FENCE.exec(line)?.[1];
      if (close && close.charAt(0) === fence.charAt(0) && close.length >= fence.length) break;
      code.push(line);
    }
    flushProse();
    blocks.push({ kind: 'code', language: open[2] ?? '', code: code.join('\n') });
    i = j; // past the closing fence (or the end: an unclosed block runs to the end)
  }
  flushProse();
  return blocks;
}

/** `inline code` spans inside prose, as <code>; the rest as plain text. */
function withInlineCode(text: string): ReactNode[] {
  return text
    .split(/(`[^`\n]+`)/g)
    .map((part, i) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`') ? (
        <Code key={i}>{part.slice(1, -1)}</Code>
      ) : (
        part
      ),
    );
}

/** A note's Markdown: paragraphs and code blocks, rendered as text (no raw HTML). */
export function NoteMarkdown({ markdown }: { markdown: string }) {
  return (
    <Stack gap={6}>
      {parseNote(markdown).map((block, i) =>
        block.kind === 'code' ? (
          <Code
            key={i}
            block
            data-language={block.language || undefined}
            style={{ whiteSpace: 'pre', overflowX: 'auto', maxHeight: 480 }}
          >
            {block.code}
          </Code>
        ) : (
          <Text key={i} size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {withInlineCode(block.text)}
          </Text>
        ),
      )}
    </Stack>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A note's attachments: images inline (a click opens them full size), other files as links. */
function Attachments({
  incidentId,
  attachments,
}: {
  incidentId: string;
  attachments: readonly NoteAttachment[];
}) {
  const images = attachments.filter((a) => a.contentType.startsWith('image/'));
  const files = attachments.filter((a) => !a.contentType.startsWith('image/'));
  return (
    <Stack gap={6}>
      {images.map((a) => (
        <Anchor
          key={a.id}
          href={attachmentPath(incidentId, a.id)}
          target="_blank"
          rel="noopener noreferrer"
          title={`${a.name} (${formatSize(a.size)})`}
          w="fit-content"
        >
          <Image
            src={attachmentPath(incidentId, a.id)}
            alt={a.name}
            maw={640}
            mah={400}
            fit="contain"
            radius="sm"
            style={{ border: '1px solid var(--mantine-color-default-border)' }}
          />
        </Anchor>
      ))}
      {files.length > 0 ? (
        <Group gap="sm">
          {files.map((a) => (
            <Anchor
              key={a.id}
              size="sm"
              href={attachmentPath(incidentId, a.id)}
              target="_blank"
              rel="noopener noreferrer"
            >
              {a.name} ({formatSize(a.size)})
            </Anchor>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}

/** The `data` of a note entry, when it has the expected shape. */
export function noteDataOf(data: unknown): NoteData | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Partial<NoteData>;
  if (typeof d.markdown !== 'string') return null;
  return { markdown: d.markdown, attachments: Array.isArray(d.attachments) ? d.attachments : [] };
}

/** A note: its Markdown and its attachments. */
export function NoteBody({ incidentId, data }: { incidentId: string; data: NoteData }) {
  return (
    <Stack gap={6} mt={2}>
      <NoteMarkdown markdown={data.markdown} />
      {data.attachments.length > 0 ? (
        <Attachments incidentId={incidentId} attachments={data.attachments} />
      ) : null}
    </Stack>
  );
}
