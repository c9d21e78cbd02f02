import { Button, Group, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateIntegration } from '../../api/integrations';
import { INTEGRATION_TYPES } from '../../api/types';
import type { IntegrationType } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { IntegrationKeyModal } from './integration-key-modal';
import { GENERIC_MAPPING_EXAMPLE, INTEGRATION_TYPE_LABELS } from './integration-snippets';

const TYPE_OPTIONS = INTEGRATION_TYPES.map((t) => ({
  value: t,
  label: INTEGRATION_TYPE_LABELS[t],
}));

function isIntegrationType(value: string): value is IntegrationType {
  return (INTEGRATION_TYPES as readonly string[]).includes(value);
}

const EXAMPLE_CONFIG = JSON.stringify(GENERIC_MAPPING_EXAMPLE, null, 2);

/** Parses the mapping textarea: an object, or a message saying what is wrong. */
function parseConfig(text: string): { config: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { config: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'The mapping must be a JSON object.' };
  }
  return { config: value as Record<string, unknown> };
}

export function CreateIntegrationForm({ serviceId }: { serviceId: string }) {
  const create = useCreateIntegration(serviceId);
  const [type, setType] = useState<IntegrationType>('pagerduty-v2');
  const [name, setName] = useState('');
  const [configText, setConfigText] = useState(EXAMPLE_CONFIG);
  const [configError, setConfigError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let config: Record<string, unknown> | undefined;
    if (type === 'generic') {
      const parsed = parseConfig(configText);
      if ('error' in parsed) {
        setConfigError(parsed.error);
        return;
      }
      config = parsed.config;
    }
    setConfigError(null);
    const trimmed = name.trim();
    create.mutate(
      { type, ...(trimmed ? { name: trimmed } : {}), ...(config ? { config } : {}) },
      { onSuccess: () => setName('') },
    );
  };

  return (
    <>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <ApiErrorAlert
            error={create.error}
            title="Could not add the integration"
            fields={['type', 'name']}
            fieldPrefixes={type === 'generic' ? ['config'] : []}
          />
          <Group align="flex-start">
            <NativeSelect
              label="Integration type"
              name="type"
              data={TYPE_OPTIONS}
              value={type}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isIntegrationType(value)) setType(value);
              }}
              error={fieldError(create.error, 'type')}
            />
            <TextInput
              label="Integration name"
              name="name"
              autoComplete="off"
              placeholder={`e.g. ${INTEGRATION_TYPE_LABELS[type]} (prod)`}
              miw={280}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(create.error, 'name')}
            />
          </Group>
          {type === 'generic' ? (
            <Textarea
              label="Mapping config (JSON)"
              name="config"
              description="JSONPath into the body you send: where the summary, severity, dedup key and action are; defaults; and which of your states mean resolve or trigger."
              autosize
              minRows={8}
              maxRows={20}
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={configText}
              onChange={(e) => setConfigText(e.currentTarget.value)}
              error={configError ?? fieldErrorUnder(create.error, 'config')}
            />
          ) : null}
          <Group>
            <Button type="submit" loading={create.isPending}>
              Add integration
            </Button>
          </Group>
        </Stack>
      </form>
      {/* The key lives only in the mutation result; reset() forgets it when the modal closes. */}
      <IntegrationKeyModal created={create.data ?? null} onClose={() => create.reset()} />
    </>
  );
}
