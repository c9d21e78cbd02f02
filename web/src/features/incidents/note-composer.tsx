import { Button, FileInput, Group, Stack, Textarea } from '@mantine/core';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAddNote } from '../../api/incidents';
import { ATTACHMENT_CONTENT_TYPES } from '../../api/types';
import type { AttachmentContentType, NoteAttachmentInput } from '../../api/types';
import { useAnnounce } from '../../ui/announcer';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';

/** What a note may carry: five files of 2 MB at most. */
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

const ACCEPT = [...ATTACHMENT_CONTENT_TYPES, '.txt', '.log', '.json'].join(',');

/** The content type a file is sent as, or null when notes cannot carry it. */
export function contentTypeOf(file: { name: string; type: string }): AttachmentContentType | null {
  const declared = (ATTACHMENT_CONTENT_TYPES as readonly string[]).find((t) => t === file.type);
  if (declared) return declared as AttachmentContentType;
  const name = file.name.toLowerCase();
  if (name.endsWith('.json')) return 'application/json';
  if (/\.(txt|log|out|err)$/.test(name) || file.type.startsWith('text/')) return 'text/plain';
  return null;
}

/** Why these files cannot be attached, or null when they can. */
export function attachmentProblem(files: readonly File[]): string | null {
  if (files.length > MAX_ATTACHMENTS) return `At most ${MAX_ATTACHMENTS} files per note.`;
  for (const file of files) {
    if (!contentTypeOf(file))
      return `${file.name}: only images (PNG, JPEG, GIF, WebP), text and JSON files.`;
    if (file.size > MAX_ATTACHMENT_BYTES) return `${file.name}: larger than 2 MB.`;
  }
  return null;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** Write a note on the timeline: Markdown (code blocks for log excerpts) and attachments. */
export function NoteComposer({ incidentId }: { incidentId: string }) {
  const add = useAddNote(incidentId);
  const [markdown, setMarkdown] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [readError, setReadError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const problem = attachmentProblem(files);
  const announce = useAnnounce();
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (problem) return;
    setReadError(null);
    let attachments: NoteAttachmentInput[];
    setReading(true);
    try {
      attachments = await Promise.all(
        files.map(async (file) => ({
          name: file.name,
          contentType: contentTypeOf(file) ?? 'text/plain',
          dataBase64: await readBase64(file),
        })),
      );
    } catch (err) {
      setReadError(err instanceof Error ? err.message : 'Could not read the files.');
      return;
    } finally {
      setReading(false);
    }
    add.mutate(
      { markdown: markdown.trim(), attachments },
      {
        onSuccess: () => {
          setMarkdown('');
          setFiles([]);
          announce('Note added.');
          // The button was disabled while sending and lost focus: back to the note box.
          const active = document.activeElement;
          if (!active || active === document.body || !active.isConnected) noteRef.current?.focus();
        },
      },
    );
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Add a note">
      <Stack gap="xs">
        <ApiErrorAlert
          error={add.error}
          title="Could not add the note"
          fields={['markdown']}
          fieldPrefixes={['attachments']}
          onClose={() => add.reset()}
        />
        <Textarea
          label="Note"
          ref={noteRef}
          description="Markdown: put log excerpts in ``` code blocks."
          autosize
          minRows={3}
          maxRows={16}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={markdown}
          onChange={(e) => setMarkdown(e.currentTarget.value)}
          error={fieldError(add.error, 'markdown')}
        />
        <FileInput
          label="Attachments"
          description="Graphs (PNG, JPEG, GIF, WebP), logs (text) or JSON: up to 5 files, 2 MB each."
          placeholder="Pick files"
          multiple
          clearable
          accept={ACCEPT}
          value={files}
          onChange={setFiles}
          error={problem ?? readError ?? fieldErrorUnder(add.error, 'attachments')}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={add.isPending || reading}
            disabled={markdown.trim() === '' || problem !== null}
          >
            Add note
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
