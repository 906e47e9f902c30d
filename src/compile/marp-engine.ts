// The engine module handed to Marp CLI (`--engine`) for PPTX and PNG: Marp Core with talkdeck's
// options, so those formats render the same slides as the HTML. Images arrive as data: URIs.
import { Marp, type MarpOptions } from '@marp-team/marp-core'
import { marpOptions } from './marp-options.js'

export default function engine(constructorOptions: MarpOptions): Marp {
  const marp = new Marp({ ...constructorOptions, ...marpOptions() })
  const md = marp.markdown as { validateLink(url: string): boolean }
  const validate = md.validateLink.bind(md)
  // markdown-it refuses data:image/svg+xml; talkdeck inlines local SVG images that way.
  md.validateLink = (url: string) => /^data:image\/[a-z+.-]+;base64,/i.test(url) || validate(url)
  return marp
}
