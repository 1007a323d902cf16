import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import { Decimal } from './decimal.js'

describe('toString tree view', () => {
  it('draws one line per node with branches, attributes and Python-style values', () => {
    const b = new Bag()
    b.set('user', new Bag(), { name: 'John' })
    b.set('user.age', 30)
    b.set('user.city', 'Rome')
    b.set('price', new Decimal('1.50'), { cur: 'EUR', ok: true })
    b.set('none', null)
    expect(b.toString()).toBe(
      [
        "├── user [name='John']",
        '│   ├── age: 30',
        "│   └── city: 'Rome'",
        "├── price: 1.50 [cur='EUR', ok=True]",
        '└── none: None',
      ].join('\n'),
    )
  })

  it('cuts strings longer than 50 characters and marks backref branches', () => {
    const b = new Bag()
    b.set('long', 'x'.repeat(60))
    b.set('sub.leaf', 1)
    b.setBackref()
    expect(b.toString()).toBe(
      [`├── long: '${'x'.repeat(47)}...'`, '└── sub(*)', '    └── leaf: 1'].join('\n'),
    )
  })

  it('marks a Bag reached again through a cycle instead of looping', () => {
    const b = new Bag()
    const node = b.set('self', null)
    node._value = b
    expect(b.toString()).toBe(['└── self', '    └── self → (circular ref)'].join('\n'))
  })

  it('renders thousands of nested levels without recursion', () => {
    const root = new Bag()
    let cur = root
    for (let i = 0; i < 3_000; i++) {
      const next = new Bag()
      cur.set('n', next)
      cur = next
    }
    expect(root.toString().split('\n')).toHaveLength(3_000)
  })
})
