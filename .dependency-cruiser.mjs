/**
 * Dependency rules checked by `npm test` (`npm run depcheck`): the top-level folders of `src/` form
 * layers, and no folder may reach back to a folder that depends on it. A cycle between folders means
 * a piece of shared vocabulary sits in the wrong layer; move it down (usually into `domain/`).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'Folders under src/ import one way only; a folder cycle means vocabulary belongs lower down.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
