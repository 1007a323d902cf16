// The page for unexpected errors (a store outage, a body too large). No session is read here.
import { html } from '../html.mjs'

/** { status, html } for an error; the status comes from the error (SessionError carries one). */
export function errorPage(error) {
  const status = Number.isInteger(error?.status) && error.status >= 400 ? error.status : 500
  const code = typeof error?.code === 'string' ? error.code : 'INTERNAL'
  return {
    status,
    html: html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} · satchel demo</title></head>
<body><h1>${status}</h1><p>Something went wrong (<code>${code}</code>). <a href="/">Back to the shop.</a></p></body></html>`
      .text,
  }
}
