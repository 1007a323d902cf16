import { describe, expect, it } from 'vitest'
import { codeOf } from './__fixtures__/code-of.js'
import { Bag } from './bag.js'
import { BagNode } from './bag-node.js'

describe('construction', () => {
  it('a plain object builds nested Bags and uses keys as paths', () => {
    const bag = new Bag({ a: { b: 1 }, 'c.d': 2, 'e?x': 3, list: [1, 2] })
    expect(bag.get('a.b')).toBe(1)
    expect(bag.get('c.d')).toBe(2)
    expect(bag.get('e?x')).toBe(3)
    expect(bag.get('list')).toEqual([1, 2])
  })

  it('an array builds nodes labelled 0, 1, … with objects turned into Bags', () => {
    const bag = new Bag([10, { a: 1 }])
    expect(bag.keys()).toEqual(['0', '1'])
    expect(bag.get('1.a')).toBe(1)
  })

  it('a Bag argument is deep-copied', () => {
    const src = new Bag({ a: { b: 1 } })
    const copy = new Bag(src)
    expect(copy.equals(src)).toBe(true)
    copy.set('a.b', 2)
    expect(src.get('a.b')).toBe(1)
  })

  it('a key starting with # is rejected', () => {
    expect(codeOf(() => new Bag({ '#0': 1 }))).toBe('INVALID_PATH')
  })
})

describe('reading and listing', () => {
  const bag = new Bag({ a: 1, b: null, c: { d: 2 } })

  it('keys, values, items and nodes list the first level in order', () => {
    expect(bag.keys()).toEqual(['a', 'b', 'c'])
    expect(bag.values().slice(0, 2)).toEqual([1, null])
    expect(bag.items()[0]).toEqual(['a', 1])
    expect(bag.nodes.map((n) => n.label)).toEqual(['a', 'b', 'c'])
    expect([...bag].map((n) => n.label)).toEqual(['a', 'b', 'c'])
    expect(bag.length).toBe(3)
  })

  it('getNodes filters first-level nodes with a predicate', () => {
    expect(bag.getNodes((n) => n.isBranch).map((n) => n.label)).toEqual(['c'])
    expect(bag.getNodes()).toHaveLength(3)
  })

  it('getLocal reads one level only, with #n and ?attr', () => {
    expect(bag.getLocal('a')).toBe(1)
    expect(bag.getLocal('c.d')).toBeUndefined()
    expect(bag.getLocal('#0')).toBe(1)
    expect(bag.getLocal('', 'x')).toBe(bag)
    expect(bag.getLocal('zz', 'dflt')).toBe('dflt')
  })

  it('node finds a first-level node by label or index, negative from the end', () => {
    expect(bag.node('a')?.value).toBe(1)
    expect(bag.node(-1)?.label).toBe('c')
    expect(bag.node(7)).toBeUndefined()
  })

  it('has accepts paths and first-level node objects', () => {
    expect(bag.has('c.d')).toBe(true)
    expect(bag.has('c.x')).toBe(false)
    expect(bag.has(bag.node('a') as BagNode)).toBe(true)
    expect(bag.has((bag.get('c') as Bag).node('d') as BagNode)).toBe(false)
    expect(bag.has('a?x')).toBe(false)
  })

  it('getNode with an empty path returns the containing node in backref mode', () => {
    const root = new Bag({ c: { d: 1 } })
    root.setBackref()
    expect((root.get('c') as Bag).getNode('')).toBe(root.node('c'))
    expect(root.getNode('')).toBeUndefined()
  })

  it('isEmpty is true when every value is null, optionally counting 0 and blanks', () => {
    expect(new Bag().isEmpty()).toBe(true)
    expect(new Bag({ a: null }).isEmpty()).toBe(true)
    expect(new Bag({ a: 0 }).isEmpty()).toBe(false)
    expect(new Bag({ a: 0 }).isEmpty({ zeroIsNone: true })).toBe(true)
    expect(new Bag({ a: ' ' }).isEmpty({ blankIsNone: true })).toBe(true)
    expect(new Bag({ a: new Bag() }).isEmpty()).toBe(false)
  })

  it('asDict returns first-level values, lowercasing keys on request', () => {
    const d = new Bag({ A: 1, b: { c: 2 } }).asDict({ lower: true })
    expect(Object.keys(d)).toEqual(['a', 'b'])
    expect(d.b).toBeInstanceOf(Bag)
  })
})

describe('writing', () => {
  it('set returns the node and replaces attributes entirely when given', () => {
    const bag = new Bag()
    const node = bag.set('x', 1, { a: 1, b: 2 })
    expect(node).toBeInstanceOf(BagNode)
    bag.set('x', 2)
    expect(node.attr).toEqual({ a: 1, b: 2 })
    bag.set('x', 3, { c: 3 })
    expect(node.attr).toEqual({ c: 3 })
    bag.set('x', 3, { d: 4 }, { updAttr: true })
    expect(node.attr).toEqual({ c: 3, d: 4 })
  })

  it('null attributes are removed unless keepNullAttrs is set', () => {
    const bag = new Bag()
    bag.set('x', 1, { a: 1, b: null })
    expect(bag.getNode('x')?.attr).toEqual({ a: 1 })
    bag.set('y', 1, { b: null }, { keepNullAttrs: true })
    expect(bag.getNode('y')?.attr).toEqual({ b: null })
    bag.set('x', 1, { a: null }, { updAttr: true })
    expect(bag.getNode('x')?.attr).toEqual({})
  })

  it('positions place new nodes and are ignored for existing labels', () => {
    const bag = new Bag({ a: 1, b: 2 })
    bag.set('first', 0, null, { position: '<' })
    bag.set('mid', 0, null, { position: '>a' })
    bag.set('before_b', 0, null, { position: '<b' })
    bag.set('at1', 0, null, { position: '#1' })
    bag.set('neg', 0, null, { position: -1 })
    bag.set('a', 5, null, { position: '<' })
    expect(bag.keys()).toEqual(['first', 'at1', 'a', 'mid', 'before_b', 'neg', 'b'])
  })

  it('malformed positions and unknown references are INVALID_POSITION', () => {
    const bag = new Bag({ a: 1 })
    for (const position of ['#-1', '<#-2', '#abc', '@x', '<missing', '>missing']) {
      expect(codeOf(() => bag.set('n', 1, null, { position }))).toBe('INVALID_POSITION')
    }
  })

  it('fired sets the value for the event, then resets it to null', () => {
    const bag = new Bag()
    const seen: unknown[] = []
    bag.subscribe('s', { any: (e) => void seen.push(e.node.value) })
    bag.set('pulse', 'go', null, { fired: true })
    expect(seen).toEqual(['go'])
    expect(bag.get('pulse')).toBeNull()
  })

  it('tag is stored on the node and replaced by a later set', () => {
    const bag = new Bag()
    bag.set('x', 1, null, { tag: 'field' })
    expect(bag.getNode('x')?.tag).toBe('field')
    bag.set('x', 1, null, { tag: 'other' })
    expect(bag.getNode('x')?.tag).toBe('other')
  })

  it('setdefault returns the existing value or stores the default', () => {
    const bag = new Bag({ a: 1 })
    expect(bag.setdefault('a', 9)).toBe(1)
    expect(bag.setdefault('b.c', 9)).toBe(9)
    expect(bag.get('b.c')).toBe(9)
  })

  it('pop returns the value or the default, popNode the node with position -1', () => {
    const bag = new Bag({ a: 1, b: 2, c: 3 })
    expect(bag.pop('#-1')).toBe(3)
    expect(bag.pop('zz', 'dflt')).toBe('dflt')
    const node = bag.popNode('a')
    expect(node?.position).toBe(-1)
    expect(node?.parentBag).toBe(bag)
    expect(bag.popNode('zz')).toBeUndefined()
    expect(bag.keys()).toEqual(['b'])
  })

  it('clear empties the Bag in place', () => {
    const bag = new Bag({ a: 1 })
    bag.clear()
    expect(bag.length).toBe(0)
  })

  it('update merges attributes, merges nested Bags and replaces other values', () => {
    const bag = new Bag()
    bag.set('x', 1, { a: 1 })
    bag.set('sub.k', 1)
    const src = new Bag()
    src.set('x', 2, { b: 2 })
    src.set('sub.j', 2)
    src.set('y', null)
    bag.update(src)
    expect(bag.get('x')).toBe(2)
    expect(bag.getNode('x')?.attr).toEqual({ a: 1, b: 2 })
    expect(bag.get('sub.k')).toBe(1)
    expect(bag.get('sub.j')).toBe(2)
    bag.update({ x: null }, { ignoreNone: true })
    expect(bag.get('x')).toBe(2)
  })

  it('update copies new nested Bags instead of sharing them with the source', () => {
    const src = new Bag({ sub: { k: 1 } })
    const bag = new Bag().update(src)
    bag.set('sub.k', 2)
    expect(src.get('sub.k')).toBe(1)
  })

  it('fillFrom replaces the content from an object, an array, a Bag or JSON text', () => {
    const bag = new Bag({ old: 1 })
    expect(bag.fillFrom({ a: 1 }).keys()).toEqual(['a'])
    expect(bag.fillFrom([1, 2]).keys()).toEqual(['0', '1'])
    expect(bag.fillFrom(new Bag({ z: 1 })).keys()).toEqual(['z'])
    expect(bag.fillFrom('{"j": 1}').get('j')).toBe(1)
    expect(bag.fillFrom(null).keys()).toEqual(['j'])
  })

  it('fillFrom leaves the Bag unchanged when the source is invalid', () => {
    const bag = new Bag({ keep: 1 })
    expect(codeOf(() => bag.fillFrom('{"bad":'))).toBe('PARSE_ERROR')
    expect(codeOf(() => bag.fillFrom('not a path'))).toBe('INVALID_VALUE')
    expect(bag.keys()).toEqual(['keep'])
  })

  it('fillFrom on a nested Bag fires one upd_value with the old content', () => {
    const bag = new Bag({ sub: { a: 1 } })
    const seen: string[] = []
    bag.subscribe('s', { any: (e) => void seen.push(`${e.event}:${e.pathlist.join('.')}`) })
    ;(bag.get('sub') as Bag).fillFrom({ b: 2 })
    expect(seen).toEqual(['upd_value:sub'])
    expect(bag.get('sub.b')).toBe(2)
  })

  it('a Bag cannot be inserted into itself in backref mode', () => {
    const bag = new Bag()
    bag.setBackref()
    bag.set('a.b', 1)
    expect(codeOf(() => (bag.get('a') as Bag).set('loop', bag))).toBe('INVALID_VALUE')
  })
})

describe('attributes', () => {
  it('setAttr merges and autocreates, getAttr reads one or all, delAttr removes comma lists', () => {
    const bag = new Bag()
    bag.setAttr('a.b', { x: 1, y: 2, z: 3 })
    expect(bag.get('a.b')).toBeNull()
    bag.setAttr('a.b', { y: null })
    expect(bag.getAttr('a.b')).toEqual({ x: 1, z: 3 })
    expect(bag.getAttr('a.b', 'x')).toBe(1)
    expect(bag.getAttr('a.b', 'missing', 'dflt')).toBe('dflt')
    expect(bag.getAttr('nope', 'x', 'dflt')).toBe('dflt')
    bag.delAttr('a.b', 'x,z')
    expect(bag.getAttr('a.b')).toEqual({})
  })

  it('setAttr without a path on a root Bag is an error', () => {
    expect(codeOf(() => new Bag().setAttr(null, { a: 1 }))).toBe('INVALID_PATH')
  })

  it('inherited attributes merge ancestors root first, own values winning (backref mode)', () => {
    const bag = new Bag()
    bag.set('a', new Bag(), { color: 'red', size: 1 })
    bag.set('a.b', new Bag(), { size: 2 })
    bag.set('a.b.c', 1, { own: true })
    const node = bag.getNode('a.b.c') as BagNode
    expect(node.getInheritedAttributes()).toEqual({ own: true })
    bag.setBackref()
    expect(node.getInheritedAttributes()).toEqual({ color: 'red', size: 2, own: true })
    expect(node.attributeOwnerNode('color')?.label).toBe('a')
    expect(node.attributeOwnerNode('size', 1)?.label).toBe('a')
    expect(node.attributeOwnerNode('nope')).toBeUndefined()
  })

  it('hasAttr checks presence and, with a value, equality', () => {
    const bag = new Bag()
    const n = bag.set('x', 1, { a: 1 })
    expect(n.hasAttr('a')).toBe(true)
    expect(n.hasAttr('a', 1)).toBe(true)
    expect(n.hasAttr('a', 2)).toBe(false)
    expect(n.hasAttr('b')).toBe(false)
  })

  it('someAttr tests attribute values in order and creates no map for a node without one', () => {
    const bag = new Bag()
    const n = bag.set('x', 1, { a: 1, b: 'two' })
    const seen: string[] = []
    expect(
      n.someAttr((value, name) => {
        seen.push(name)
        return typeof value === 'string'
      }),
    ).toBe(true)
    expect(seen).toEqual(['a', 'b'])
    expect(n.someAttr((value) => value === 3)).toBe(false)
    const bare = bag.set('y', 2)
    expect(bare.someAttr(() => true)).toBe(false)
    expect(bare._attr).toBeNull()
  })

  it('attributes of a nested Bag are those of its containing node', () => {
    const bag = new Bag()
    bag.set('a', new Bag(), { k: 1 })
    bag.setBackref()
    expect((bag.get('a') as Bag).attributes).toEqual({ k: 1 })
    expect(bag.attributes).toEqual({})
  })
})

describe('backref and node views', () => {
  it('fullpath, root, parent and position follow parent links', () => {
    const bag = new Bag()
    bag.set('a.b.c', 1)
    const b = bag.get('a.b') as Bag
    expect(b.fullpath).toBeNull()
    bag.setBackref()
    expect(bag.backref).toBe(true)
    expect(b.fullpath).toBe('a.b')
    expect(b.root).toBe(bag)
    expect(b.parent).toBe(bag.get('a'))
    expect(b.getNode('c')?.fullpath).toBe('a.b.c')
    expect(b.getNode('c')?.position).toBe(0)
    expect(b.parentNode?.label).toBe('b')
    bag.clearBackref()
    expect(b.parent).toBeNull()
    expect(b.fullpath).toBeNull()
  })

  it('a node reports isBranch and reads its value', () => {
    const bag = new Bag({ a: { b: 1 }, c: 2 })
    expect(bag.node('a')?.isBranch).toBe(true)
    expect(bag.node('c')?.isBranch).toBe(false)
    const c = bag.node('c') as BagNode
    c.value = 3
    expect(bag.get('c')).toBe(3)
  })
})

describe('equality and copies', () => {
  it('equality is strict per type, ignores tags and attribute order', () => {
    const a = new Bag()
    a.set('x', 1, { p: 1, q: 2 }, { tag: 't' })
    const b = new Bag()
    b.set('x', 1, { q: 2, p: 1 })
    expect(a.equals(b)).toBe(true)
    b.set('x', true)
    expect(a.equals(b)).toBe(false)
    expect(a.equals({})).toBe(false)
  })

  it('node order matters for equality', () => {
    expect(new Bag({ a: 1, b: 2 }).equals(new Bag({ b: 2, a: 1 }))).toBe(false)
  })

  it('deepcopy copies attributes and nested Bags but not tags or subscriptions', () => {
    const bag = new Bag()
    bag.set('a.b', 1, { k: 1 }, { tag: 't' })
    bag.subscribe('s', { any: () => undefined })
    const copy = bag.deepcopy()
    expect(copy.equals(bag)).toBe(true)
    expect(copy.getNode('a.b')?.tag).toBeNull()
    expect(copy.backref).toBe(false)
    copy.setAttr('a.b', { k: 2 })
    expect(bag.getAttr('a.b', 'k')).toBe(1)
  })

  it('deep paths work at 5000 levels and deepcopy/equals do not overflow the stack', () => {
    const labels = Array.from({ length: 5000 }, (_, i) => `l${i}`)
    const bag = new Bag()
    bag.set(labels, 'deep')
    expect(bag.get(labels)).toBe('deep')
    const copy = bag.deepcopy()
    expect(copy.equals(bag)).toBe(true)
    bag.setBackref()
    expect(codeOf(() => bag.toTytx())).toBe('DEPTH_LIMIT')
  })
})

describe('labels that formats cannot carry', () => {
  it('a label holding a real dot is refused by TYTX and JSON writers instead of nesting on read', () => {
    const bag = new Bag()
    bag.set(['a.b'], 1)
    for (const write of [
      () => bag.toTytx(),
      () => bag.toTytx({ transport: 'msgpack' }),
      () => bag.toJson(),
    ]) {
      expect(codeOf(write)).toBe('NOT_SERIALIZABLE')
    }
    const escaped = new Bag()
    escaped.set('a\\.b', 1)
    expect(Bag.fromTytx(escaped.toTytx()).equals(escaped)).toBe(true)
  })

  it('getResolver returns the resolver of a node or undefined', () => {
    const bag = new Bag({ plain: 1 })
    expect(bag.getResolver('plain')).toBeUndefined()
    expect(bag.getResolver('missing')).toBeUndefined()
  })
})

describe('node members', () => {
  it('setValue, staticValue, xmlTag and parentNode behave as documented', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const node = bag.getNode('a.b') as BagNode
    node.setValue(2)
    expect(bag.get('a.b')).toBe(2)
    expect(node.staticValue).toBe(2)
    node.xmlTag = 'el'
    expect(node.xmlTag).toBe('el')
    expect(node.parentNode).toBeNull()
    bag.setBackref()
    expect(node.parentNode?.label).toBe('a')
    expect(node.getAttr()).toEqual({})
    expect(String(node)).toBe('BagNode(b)')
  })

  it('a detached node keeps its value and attributes', () => {
    const node = new BagNode('x', undefined, { a: 1, b: null })
    expect(node.value).toBeNull()
    expect(node.attr).toEqual({ a: 1 })
    expect(node.position).toBeNull()
    node.setValue(3)
    expect(node.value).toBe(3)
  })
})

describe('root attributes and limits', () => {
  it('rootAttributes is a free map on a top-level Bag, not serialized', () => {
    const bag = new Bag({ a: 1 })
    bag.rootAttributes = { owner: 'me' }
    expect(Bag.fromTytx(bag.toTytx()).rootAttributes).toBeNull()
  })

  it('Bag.getInheritedAttributes reads the containing node chain', () => {
    const bag = new Bag()
    bag.set('a', new Bag(), { k: 1 })
    bag.set('a.b', new Bag(), { j: 2 })
    bag.setBackref()
    expect((bag.get('a.b') as Bag).getInheritedAttributes()).toEqual({ k: 1, j: 2 })
    expect(bag.getInheritedAttributes()).toEqual({})
  })
})
