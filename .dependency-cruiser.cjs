/**
 * The dependency direction from DESIGN.md, enforced: core <- db <- domains <- (engine, integrations) <- http, cli <- app <- main.
 * `npm test` runs this through `npm run depcheck`; a violation fails the build.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-leaf',
      comment: 'core/ has no project imports.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'config-only-core',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(core|config)/' },
    },
    {
      name: 'db-only-core',
      comment: 'db/ knows nothing of domains or anything above them.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(core|db)/' },
    },
    {
      name: 'domains-stay-low',
      comment:
        'A domain imports core, db and other domains only: never http, engine, integrations, cli or app.',
      severity: 'error',
      from: { path: '^src/domains/' },
      to: { path: '^src/(http|engine|integrations|cli|app)/' },
    },
    {
      name: 'domains-through-index',
      comment: 'Another domain is reached through its index.ts only.',
      severity: 'error',
      from: { path: '^src/domains/([^/]+)/' },
      to: {
        path: '^src/domains/([^/]+)/',
        pathNot: ['^src/domains/$1/', '^src/domains/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'outside-domains-through-index',
      comment: 'Folders above the domains reach a domain through its index.ts only.',
      severity: 'error',
      from: { path: '^src/(engine|integrations|http|cli|app)/' },
      to: { path: '^src/domains/[^/]+/', pathNot: '^src/domains/[^/]+/index\\.ts$' },
    },
    {
      name: 'engine-and-integrations-below-http',
      severity: 'error',
      from: { path: '^src/(engine|integrations)/' },
      to: { path: '^src/(http|cli|app)/' },
    },
    {
      name: 'http-and-cli-below-app',
      severity: 'error',
      from: { path: '^src/(http|cli)/' },
      to: { path: '^src/app/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.build.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
