// The one-way layering of surge's sources, checked in the tests (test/unit/architecture.test.ts) so a wrong-way
// import fails CI:
//   src/cli (commands, rendering)  ─┐
//   src/watch (watch mode)         ─┴→ src/api + src/index.ts (the library's operations)
//     → src/engine (executor, locks) / src/planner (load, model, pure plan) / src/drivers (docker, process, swarm, memory)
//       → src/model (shared model, naming, hashes, errors)
// The planner imports no driver; drivers import no planner logic; nothing outside src/cli imports src/cli.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle between modules hides which one is the lower layer.',
      from: { path: '^src' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'cli-is-top',
      severity: 'error',
      comment: 'Only the CLI itself imports src/cli: the library must work without it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'cli-uses-the-library',
      severity: 'error',
      comment: 'A command reads arguments, calls one library operation and renders: it reaches the core through src/api, src/watch and the model.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(engine|planner|drivers)/' },
    },
    {
      name: 'watch-uses-the-library',
      severity: 'error',
      comment: 'Watch mode is built on the library operations, like any other program.',
      from: { path: '^src/watch/' },
      to: { path: '^src/(engine|drivers|cli)/' },
    },
    {
      name: 'api-is-below-watch',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(watch|cli)/' },
    },
    {
      name: 'engine-below-api',
      severity: 'error',
      comment: 'The executor and the locks carry no decisions: they know the plan types and the driver contract, nothing above.',
      from: { path: '^src/engine/' },
      to: { path: '^src/(api|watch|cli|planner)/|^src/index\\.ts$' },
    },
    {
      name: 'engine-knows-only-the-driver-contract',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/drivers/', pathNot: '^src/drivers/driver\\.ts$' },
    },
    {
      name: 'planner-imports-no-driver',
      severity: 'error',
      comment: 'The planner is a pure function of model and observed state.',
      from: { path: '^src/planner/' },
      to: { path: '^src/(drivers|engine|api|watch|cli)/|^src/index\\.ts$' },
    },
    {
      name: 'drivers-import-no-planner',
      severity: 'error',
      comment: 'Drivers observe and execute; shared naming lives in src/model.',
      from: { path: '^src/drivers/' },
      to: { path: '^src/(planner|engine|api|watch|cli)/|^src/index\\.ts$' },
    },
    {
      name: 'model-is-the-bottom',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'tools-are-leaves',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/tools/' },
      to: { path: '^src/tools/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
