import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import type { BagEvent } from './events.js'

const label = fc.constantFrom('a', 'b', 'c', '__proto__', 'x\\.y')
const path = fc.array(label, { minLength: 1, maxLength: 5 })
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path, value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('pop' as const), path }),
)

/** A plain model: nested Maps, leaves as numbers. */
type Model = Map<string, Model | number>

describe('event pathlists (fast-check)', () => {
  it('every mutation reports the label path of the touched node from the subscribed root', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const bag = new Bag()
        const events: BagEvent[] = []
        bag.subscribe('t', { any: (e) => void events.push(e) })
        const model: Model = new Map()
        for (const o of ops) {
          events.length = 0
          const expected: string[] = []
          if (o.kind === 'set') {
            let cur = model
            o.path.forEach((seg, i) => {
              const last = i === o.path.length - 1
              const here = cur.get(seg)
              if (last) {
                if (here === undefined) expected.push(`ins:${o.path.slice(0, i).join('/')}`)
                else if (here !== o.value) expected.push(`upd_value:${o.path.join('/')}`)
                cur.set(seg, o.value)
              } else if (here === undefined) {
                expected.push(`ins:${o.path.slice(0, i).join('/')}`)
                const next: Model = new Map()
                cur.set(seg, next)
                cur = next
              } else if (typeof here === 'number') {
                expected.push(`upd_value:${o.path.slice(0, i + 1).join('/')}`)
                const next: Model = new Map()
                cur.set(seg, next)
                cur = next
              } else cur = here
            })
            bag.set(o.path, o.value)
          } else {
            let cur: Model | undefined = model
            for (const seg of o.path.slice(0, -1)) {
              const next: Model | number | undefined = cur?.get(seg)
              cur = next instanceof Map ? next : undefined
            }
            const lastLabel = o.path[o.path.length - 1] as string
            if (cur?.has(lastLabel)) {
              expected.push(`del:${o.path.slice(0, -1).join('/')}`)
              cur.delete(lastLabel)
            }
            bag.pop(o.path)
          }
          expect(events.map((e) => `${e.event}:${e.pathlist.join('/')}`)).toEqual(expected)
          for (const e of events) {
            const full =
              e.event === 'ins' || e.event === 'del' ? [...e.pathlist, e.node.label] : [...e.pathlist]
            expect(full[full.length - 1]).toBe(e.node.label)
          }
        }
      }),
      { numRuns: 150 },
    )
  }, 60_000)
})
