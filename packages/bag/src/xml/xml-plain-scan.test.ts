import fc from 'fast-check'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { Bag } from '../bag.js'
import { scanPlainXml } from './xml-plain-scan.js'

/** The events saxes reports for `xml` read as a fragment, or null when it refuses the input. */
function saxesEvents(xml: string): string[] | null {
  const out: string[] = []
  const parser = new SaxesParser({ fragment: true, position: false })
  parser.on('text', (t) => out.push(`text:${t}`))
  parser.on('cdata', (t) => out.push(`cdata:${t}`))
  parser.on('attribute', (a) => out.push(`attr:${a.name}=${a.value}`))
  parser.on('opentag', (t) => out.push(`open:${t.name}`))
  parser.on('closetag', () => out.push('close'))
  try {
    parser.write(xml).close()
  } catch {
    return null
  }
  return out
}

/** The events of the plain scan, or null when it gives up. */
function scanEvents(xml: string): string[] | null {
  const out: string[] = []
  const ok = scanPlainXml(xml, {
    text: (t, amp) => {
      expect(amp || !t.includes('&')).toBe(true)
      out.push(`text:${t}`)
    },
    open: (name, names, values, count, amp) => {
      for (let i = 0; i < count; i++) expect(amp || !(values[i] as string).includes('&')).toBe(true)
      for (let i = 0; i < count; i++) out.push(`attr:${names[i]}=${values[i]}`)
      out.push(`open:${name}`)
    },
    close: () => out.push('close'),
  })
  return ok ? out : null
}

/** The scan's contract: when it accepts, saxes accepts too and reports the same events. */
function agrees(xml: string): void {
  const scanned = scanEvents(xml)
  if (scanned !== null) expect(scanned).toEqual(saxesEvents(xml))
}

const pieces = [
  '<a>',
  '</a>',
  '<b x="1">',
  '</b>',
  '<a/>',
  '<a />',
  '<c y=\'2\' z="3"/>',
  '<a x="1" x="2"/>',
  '<d:e f:g="h">',
  '</d:e>',
  '<_1.x-y>',
  '</_1.x-y>',
  '<1a>',
  '< a>',
  '</a >',
  '<a\tx="1">',
  '<a x = "1">',
  '<a x=1>',
  '<a x="<">',
  '<a x="a\nb">',
  '&lt;',
  '&gt;',
  '&amp;',
  '&quot;',
  '&apos;',
  '&#10;',
  '&#13;',
  '&#x41;',
  '&#X41;',
  '&#0;',
  '&#xD800;',
  '&#1114112;',
  '&nope;',
  '&',
  '&;',
  ']]>',
  ']]',
  '>',
  ']',
  'text',
  ' ',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\u0001',
  '\ud83d\ude00',
  '\ud800',
  '\ufffe',
  'é',
  '<é>',
  '</é>',
  '<!-- c -->',
  '<![CDATA[x]]>',
  '<?pi x?>',
  '<',
  '<>',
  '</>',
  '"',
  "'",
  '=',
  '/',
]

describe('scanPlainXml', () => {
  it('reads the writers output like saxes', () => {
    const b = new Bag()
    b.set('a.b', 'x <y> & "z"', { id: 1, t: 'a\nb\tc\r', q: `it's "q"`, e: '' })
    b.set('a.c', 1.5)
    b.set('d', null)
    b.set(['e.f'], 'é😀')
    for (const xml of [
      b.toXml(),
      b.toXml({ pretty: true }),
      b.toXml({ typed: true }),
      `<r>${b.toXml()}</r>`,
    ]) {
      agrees(xml)
    }
    // the writers' plain output is inside the subset (astral characters are left to saxes)
    b.pop(['e.f'])
    expect(scanEvents(`<r>${b.toXml()}</r>`)).not.toBeNull()
  })

  it('accepts only what saxes reads the same way (random pieces)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        agrees(parts.join(''))
      }),
      { numRuns: 20_000 },
    )
  })

  it('accepts only what saxes reads the same way (random characters)', () => {
    const chars = fc.constantFrom(...'<>/="\'&;#x1aA:_.- \n\t\r]!?é')
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 30 }), (cs) => {
        agrees(cs.join(''))
        agrees(`<r>${cs.join('')}</r>`)
        agrees(`<r a="${cs.join('')}"/>`)
      }),
      { numRuns: 20_000 },
    )
  })

  it('accepts only what saxes reads the same way (random well-formed trees)', () => {
    const name = fc.constantFrom('a', 'b', 'x:y', '_1', 'n.m', 'k-2', 'é')
    const chunk = fc.constantFrom(
      't',
      ' ',
      '\n',
      '\t',
      '&lt;',
      '&amp;',
      '&#10;',
      '&#x20AC;',
      '"',
      "'",
      '>',
      ']',
      'é',
      '\r',
    )
    const chars = fc.array(chunk, { maxLength: 5 }).map((cs) => cs.join(''))
    const attrs = fc
      .array(fc.tuple(name, chars, fc.boolean()), { maxLength: 3 })
      .map((list) =>
        list
          .map(([n, v, single]) =>
            single ? ` ${n}='${v.replaceAll("'", '')}'` : ` ${n}="${v.replaceAll('"', '')}"`,
          )
          .join(''),
      )
    const { tree } = fc.letrec<{ tree: string }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.tuple(name, attrs).map(([n, a]) => `<${n}${a}/>`),
        fc
          .tuple(name, attrs, fc.array(fc.oneof(chars, tie('tree')), { maxLength: 4 }))
          .map(([n, a, kids]) => `<${n}${a}>${kids.join('')}</${n}>`),
      ),
    }))
    let accepted = 0
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), (trees) => {
        const xml = trees.join('')
        if (scanEvents(xml) !== null) accepted++
        agrees(xml)
      }),
      { numRuns: 5_000 },
    )
    expect(accepted).toBeGreaterThan(500)
  })

  it('gives up on what it leaves to saxes', () => {
    for (const xml of [
      '<a><!-- c --></a>',
      '<a>\r</a>',
      '<a x = "1"/>',
      '<a>]]></a>',
      '<a>',
      '</a>',
      '<a></b>',
      '<é/>',
    ]) {
      expect(scanEvents(xml)).toBeNull()
    }
  })
})
