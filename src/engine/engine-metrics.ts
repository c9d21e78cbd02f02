import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The engine's Prometheus metrics, registered once per registry. */
export interface EngineMetrics {
  cycleSeconds: Histogram;
  moduleSeconds: Histogram<'module'>;
  moduleErrors: Counter<'module'>;
  moduleDue: Gauge<'module'>;
  moduleSkipped: Counter<'module'>;
  leaseTakeovers: Counter<'module'>;
}

export function createEngineMetrics(registry: Registry): EngineMetrics {
  const buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    cycleSeconds: new Histogram({
      name: 'tocsin_engine_cycle_seconds',
      help: 'Duration of one engine cycle',
      buckets,
      registers: [registry],
    }),
    moduleSeconds: new Histogram({
      name: 'tocsin_engine_module_seconds',
      help: 'Duration of one module pass',
      labelNames: ['module'],
      buckets,
      registers: [registry],
    }),
    moduleErrors: new Counter({
      name: 'tocsin_engine_module_errors_total',
      help: 'Module passes that threw',
      labelNames: ['module'],
      registers: [registry],
    }),
    moduleDue: new Gauge({
      name: 'tocsin_engine_module_due_rows',
      help: 'Rows due for a module at the last count',
      labelNames: ['module'],
      registers: [registry],
    }),
    moduleSkipped: new Counter({
      name: 'tocsin_engine_module_lease_skipped_total',
      help: 'Passes skipped because another node held the module lease',
      labelNames: ['module'],
      registers: [registry],
    }),
    leaseTakeovers: new Counter({
      name: 'tocsin_engine_lease_takeovers_total',
      help: 'Module leases taken over from a process that died holding them',
      labelNames: ['module'],
      registers: [registry],
    }),
  };
}
