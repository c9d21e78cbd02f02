import { Table, VisuallyHidden } from '@mantine/core';

interface TableHeadProps {
  /** The column headings in order; `null` or `false` leaves a column out. */
  columns: ReadonlyArray<string | null | false>;
  /** A last column for the rows' buttons, its heading ("Actions") heard but not seen. */
  actions?: boolean;
}

/** A table's header row: a heading per column, then the row actions' column if asked for. */
export function TableHead({ columns, actions = false }: TableHeadProps) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((column) => (column ? <Table.Th key={column}>{column}</Table.Th> : null))}
        {actions ? (
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        ) : null}
      </Table.Tr>
    </Table.Thead>
  );
}
