/**
 * @internal The framework-wide prototype above `prototype` (itself included) where per-request
 * helpers can be defined once instead of on every request: the topmost object of the chain that
 * is not a class prototype (has no own `constructor`) and sits below a class prototype or
 * `Object.prototype`. Express makes each `req` from `app.request` → `express.request` →
 * `IncomingMessage.prototype`: this gives `express.request`, shared by every app and sub-app of
 * that Express copy (Express swaps `req`'s prototype when it enters a mounted app). Koa makes
 * each `ctx` from `app.context` → Koa's `context` → `Object.prototype`: this gives Koa's
 * `context`. A plain object or a bare `node:http` request has none: `undefined`.
 */
export function sharedPrototypeOf(prototype: object): object | undefined {
  let home: object | undefined
  for (
    let current: object | null = prototype;
    current !== null && current !== Object.prototype && !Object.hasOwn(current, 'constructor');
    current = Object.getPrototypeOf(current) as object | null
  ) {
    home = current
  }
  return home
}
