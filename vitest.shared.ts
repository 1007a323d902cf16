// The resolution every vitest project shares: workspace packages resolve to their sources through
// the `@satchel/source` export condition, so tests never need a prior build.
const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']
// Vitest hands `ssr.resolve.conditions` to Node as --conditions. 'import' or 'module' there make
// Node's require() pick ESM branches of CJS packages (Express 5's router gets is-promise's
// namespace object instead of its function), so the server side keeps to Node's own conditions.
const serverConditions = ['@satchel/source', 'node', 'development|production']

/** Spread into `defineProject`/`defineConfig`: source resolution for client and server side. */
export const sourceResolution = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: serverConditions, externalConditions: ['@satchel/source'] } },
}
