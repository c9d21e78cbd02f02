import { Anchor, Code, List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A block of the small Markdown subset postmortems use. */
export type MdBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; code: string }
  | { kind: 'paragraph'; text: string };

/**
 * Parses headings, bullet and numbered lists, fenced code and paragraphs. Rendered as React
 * elements, never as HTML, so whatever a postmortem says is shown and never executed.
 */
export function parseMarkdown(markdown: string): MdBlock[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: MdBlock[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.join('').trim()) blocks.push({ kind: 'paragraph', text: para.join('\n').trim() });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*(```|~~~)/.test(lines[i] ?? ''); i++)
        code.push(lines[i] ?? '');
      blocks.push({ kind: 'code', code: code.join('\n') });
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      blocks.push({ kind: 'heading', level: h[1]!.length, text: h[2]! });
      continue;
    }
    const li = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (li) {
      flush();
      const ordered = li[2] !== undefined;
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(li[3]!);
      else blocks.push({ kind: 'list', ordered, items: [li[3]!] });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return blocks;
}

/** Inline **bold**, *italic*, `code` and [links](https://…); everything else as text. */
export function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re =
    /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*|_[^_\s][^_]*_|\[[^\]]+\]\((https?:\/\/[^)\s]+)\))/g;
  let last = 0;
  let key = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    if (t.startsWith('**')) out.push(<strong key={key++}>{t.slice(2, -2)}</strong>);
    else if (t.startsWith('`')) out.push(<Code key={key++}>{t.slice(1, -1)}</Code>);
    else if (t.startsWith('[')) {
      const label = t.slice(1, t.indexOf(']'));
      out.push(
        <Anchor key={key++} href={m[2]} target="_blank" rel="noopener noreferrer">
          {label}
        </Anchor>,
      );
    } else out.push(<em key={key++}>{t.slice(1, -1)}</em>);
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The preview of a section's Markdown. */
export function MarkdownView({
  markdown,
  empty = 'Nothing written yet.',
}: {
  markdown: string;
  empty?: string;
}) {
  const blocks = parseMarkdown(markdown);
  if (blocks.length === 0)
    return (
      <Text c="dimmed" fs="italic" size="sm">
        {empty}
      </Text>
    );
  return (
    <Stack gap="xs">
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading':
            return (
              <Title key={i} order={Math.min(6, b.level + 2) as 3 | 4 | 5 | 6}>
                {renderInline(b.text)}
              </Title>
            );
          case 'list':
            return (
              <List key={i} type={b.ordered ? 'ordered' : 'unordered'} size="sm">
                {b.items.map((it, j) => (
                  <List.Item key={j}>{renderInline(it)}</List.Item>
                ))}
              </List>
            );
          case 'code':
            return (
              <Code key={i} block>
                {b.code}
              </Code>
            );
          default:
            return (
              <Text key={i} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {renderInline(b.text)}
              </Text>
            );
        }
      })}
    </Stack>
  );
}
