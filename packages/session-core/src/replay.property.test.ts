import { Bag } from '@satchel/bag'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeRecord, encodeRecord, mintSessionId, replayChanges, Session } from './index.js'

type Op =
  | { kind: 'set'; path: string[]; value: number; attr: boolean }
  | { kind: 'delete'; path: string[] }
  | { kind: 'attr'; path: string[]; value: number }
  | { kind: 'bag'; path: string[]; value: number }

const label = fc.constantFrom('x', 'y', 'z')
const op = (root: string): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      path: fc.array(label, { minLength: 0, maxLength: 2 }).map((rest) => [root, ...rest]),
      value: fc.integer(),
      attr: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('delete' as const),
      path: fc.array(label, { minLength: 0, maxLength: 2 }).map((rest) => [root, ...rest]),
    }),
    fc.record({
      kind: fc.constant('attr' as const),
      path: fc.array(label, { minLength: 0, maxLength: 2 }).map((rest) => [root, ...rest]),
      value: fc.integer(),
    }),
    fc.record({
      kind: fc.constant('bag' as const),
      path: fc.array(label, { minLength: 0, maxLength: 1 }).map((rest) => [root, ...rest]),
      value: fc.integer(),
    }),
  )

function apply(bag: Bag, ops: readonly Op[]): void {
  for (const step of ops) {
    const path = step.path.join('.')
    if (step.kind === 'set') bag.set(path, step.value, step.attr ? { tag: `t${step.value}` } : null)
    else if (step.kind === 'attr') bag.setAttr(path, { mark: step.value })
    else if (step.kind === 'bag') bag.set(path, new Bag({ q: step.value }))
    else bag.pop(path)
  }
}

/** Labels, values and attributes, with siblings sorted: a merge does not promise sibling order. */
function canonical(bag: Bag): unknown {
  return Object.fromEntries(
    [...bag.nodes]
      .map((node) => [
        node.label,
        [node.value instanceof Bag ? canonical(node.value) : node.value, { ...node.attr }],
      ])
      .sort(([x], [y]) => String(x).localeCompare(String(y))),
  )
}

describe('replayChanges (property)', () => {
  it('two writers changing disjoint subtrees merge to the same content as one writer doing both', () => {
    fc.assert(
      fc.property(
        fc.array(op('a'), { maxLength: 12 }),
        fc.array(op('b'), { maxLength: 12 }),
        (first, second) => {
          const seed = new Session(mintSessionId(), null, 3600, { now: 0 })
          seed.data.set('a.x', 0)
          seed.data.set('b.x', 0)
          seed.data.set('c', 'untouched')
          const bytes = encodeRecord(seed, 1)
          const one = decodeRecord(bytes, seed.id)
          const two = decodeRecord(bytes, seed.id)
          apply(one.data, first)
          apply(two.data, second)
          replayChanges(one, two) // two won the race: one's changes replay on top of it
          const expected = decodeRecord(bytes, seed.id).data
          apply(expected, first)
          apply(expected, second)
          expect(canonical(two.data)).toEqual(canonical(expected))
        },
      ),
      { numRuns: 300 },
    )
  })
})
