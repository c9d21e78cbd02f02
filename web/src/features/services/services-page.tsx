import { Table, Text } from '@mantine/core';
import { useServices } from '../../api/services';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';

export function ServicesPage() {
  const services = useServices();
  return (
    <>
      <PageHeader
        title="Services"
        description="The services your teams run; alerts and incidents are attached to them."
      />
      <ApiErrorAlert error={services.error} title="Could not load services" />
      {services.isPending ? <LoadingBlock label="Loading services" /> : null}
      {services.data && services.data.length === 0 ? (
        <Text c="dimmed">No services yet for the teams you belong to.</Text>
      ) : null}
      {services.data && services.data.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover aria-label="Services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Team</Table.Th>
                <Table.Th>Description</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {services.data.map((service) => (
                <Table.Tr key={service.id}>
                  <Table.Td fw={500}>{service.name}</Table.Td>
                  <Table.Td>{service.teamName}</Table.Td>
                  <Table.Td>
                    {service.description || (
                      <Text c="dimmed" span>
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
