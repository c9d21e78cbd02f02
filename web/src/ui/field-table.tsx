import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export interface FieldRow {
  label: string;
  value: ReactNode;
}

interface FieldTableProps {
  /** Accessible name of the table. */
  label: string;
  rows: readonly FieldRow[];
}

/** Name/value pairs of one object (an alert, an incident), one row each. */
export function FieldTable({ label, rows }: FieldTableProps) {
  return (
    <Table aria-label={label} verticalSpacing={6} withRowBorders={false}>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.label}>
            <Table.Th scope="row" w={180} c="dimmed" fw={500} style={{ verticalAlign: 'top' }}>
              {row.label}
            </Table.Th>
            <Table.Td style={{ wordBreak: 'break-word' }}>{row.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
