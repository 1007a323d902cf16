import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'

// Small levels are scanned and larger ones get a label Map on their first lookup: whichever way
// a level is searched, after any sequence of edits and copies it must find exactly its nodes.
const label = fc.constantFrom(...Array.from({ length: 8 }, (_, i) => `k${i}`), '__proto__')
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), label, value: fc.integer() }),
  fc.record({ kind: fc.constant('del' as const), label }),
  fc.record({ kind: fc.constant('get' as const), label }),
  fc.record({ kind: fc.constant('copy' as const) }),
  fc.record({ kind: fc.constant('refill' as const) }),
)

describe('label lookups across the scan limit', () => {
  it('agree with a plain model after sets, deletes, copies and refills', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), (ops) => {
        let bag = new Bag()
        const model = new Map<string, number>()
        for (const step of ops) {
          if (step.kind === 'set') {
            bag.set(step.label, step.value)
            model.set(step.label, step.value)
          } else if (step.kind === 'del') {
            bag.pop(step.label)
            model.delete(step.label)
          } else if (step.kind === 'get') {
            expect(bag.get(step.label)).toBe(model.get(step.label))
          } else if (step.kind === 'copy') {
            bag = bag.deepcopy()
          } else {
            const fresh = new Bag()
            fresh.fillFrom(bag)
            bag = fresh
          }
          expect(bag.keys()).toEqual([...model.keys()])
          for (const key of model.keys()) expect(bag.has(key)).toBe(true)
        }
      }),
    )
  })
})
