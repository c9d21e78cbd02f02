import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import type { MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useServices } from '../../api/services';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';

export function ServicesPage() {
  const services = useServices();
  const navigate = useNavigate();

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, serviceId: string) => {
    // The name is a link already; the rest of the row leads to the same place.
    if ((event.target as HTMLElement).closest('a, button')) return;
    void navigate(`/services/${serviceId}`);
  };

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
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover aria-label="Services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Team</Table.Th>
                <Table.Th>Tags</Table.Th>
                <Table.Th>Description</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {services.data.map((service) => (
                <Table.Tr
                  key={service.id}
                  style={{ cursor: 'pointer' }}
                  onClick={(e) => onRowClick(e, service.id)}
                >
                  <Table.Td>
                    <Anchor component={Link} to={`/services/${service.id}`} fw={500}>
                      {service.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{service.teamName}</Table.Td>
                  <Table.Td>
                    {service.tags?.length ? (
                      <Group gap={4}>
                        {service.tags.map((tag) => (
                          <Badge
                            key={tag}
                            variant="light"
                            color="gray"
                            style={{ textTransform: 'none' }}
                          >
                            {tag}
                          </Badge>
                        ))}
                      </Group>
                    ) : (
                      <Text c="dimmed" span>
                        —
                      </Text>
                    )}
                  </Table.Td>
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
