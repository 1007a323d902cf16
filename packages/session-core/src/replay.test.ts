import { Bag } from '@satchel/bag'
import { describe, expect, it } from 'vitest'
import { decodeRecord, encodeRecord, mintSessionId, replayChanges, Session } from './index.js'

const base = (): Uint8Array => {
  const session = new Session(mintSessionId(), null, 3600, { now: 1000 })
  session.data.set('keep', 1)
  session.data.set('cart.apples', 1)
  session.data.set('gone', true)
  return encodeRecord(session, 1)
}

describe('replayChanges', () => {
  it('applies sets (with attributes and new parents) and deletes onto another copy', () => {
    const bytes = base()
    const id = mintSessionId()
    const from = decodeRecord(bytes, id)
    const onto = decodeRecord(bytes, id)
    onto.data.set('other.writer', 'was here')
    from.data.set('cart.apples', 2, { unit: 'kg' })
    from.data.set('new.deep.path', 'x')
    from.data.pop('gone')
    from.avatar.data.set('theme', 'dark')
    from.touch(5000)
    replayChanges(from, onto)
    expect(onto.data.get('keep')).toBe(1)
    expect(onto.data.get('other.writer')).toBe('was here')
    expect(onto.data.get('cart.apples')).toBe(2)
    expect(onto.data.getAttr('cart.apples', 'unit')).toBe('kg')
    expect(onto.data.get('new.deep.path')).toBe('x')
    expect(onto.data.has('gone')).toBe(false)
    expect(onto.avatar.data.get('theme')).toBe('dark')
    expect(onto.meta.lastAccess).toBe(5000)
  })

  it('merges a parent that both requests created instead of replacing the other request’s children (stress: concurrency-new-parent)', () => {
    const bytes = base()
    const id = mintSessionId()
    const from = decodeRecord(bytes, id)
    const onto = decodeRecord(bytes, id)
    onto.data.set('hits.a', true)
    from.data.set('hits.b', true)
    replayChanges(from, onto)
    expect(onto.data.get('hits.a')).toBe(true)
    expect(onto.data.get('hits.b')).toBe(true)
  })

  it('still replaces a parent the request set to a Bag with content', () => {
    const bytes = base()
    const id = mintSessionId()
    const from = decodeRecord(bytes, id)
    const onto = decodeRecord(bytes, id)
    onto.data.set('cart.pears', 5)
    from.data.set('cart', new Bag({ plums: 7 }))
    replayChanges(from, onto)
    expect(onto.data.get('cart.plums')).toBe(7)
    expect(onto.data.has('cart.pears')).toBe(false)
  })

  it('copies Bags instead of moving them between sessions', () => {
    const bytes = base()
    const id = mintSessionId()
    const from = decodeRecord(bytes, id)
    const onto = decodeRecord(bytes, id)
    from.data.set('cart.pears', 3)
    from.data.set('cart', from.data.get('cart'))
    replayChanges(from, onto)
    expect(from.data.get('cart.pears')).toBe(3)
    expect(onto.data.get('cart.pears')).toBe(3)
    expect(onto.data.get('cart')).not.toBe(from.data.get('cart'))
  })

  it('a path set then deleted in the same request ends deleted', () => {
    const bytes = base()
    const id = mintSessionId()
    const from = decodeRecord(bytes, id)
    const onto = decodeRecord(bytes, id)
    from.data.set('temp', 1)
    from.data.pop('temp')
    from.data.pop('keep')
    replayChanges(from, onto)
    expect(onto.data.has('temp')).toBe(false)
    expect(onto.data.has('keep')).toBe(false)
  })
})
