import sanitizeHtml from 'sanitize-html'

/**
 * Rich-text sanitising profiles of domain §4.4. The profile belongs to the
 * field, not to the author. sanitize-html drops scripts, styles, event
 * handler attributes, iframes and javascript: URLs for both.
 */
const strictTags = [
  'p',
  'br',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'strike',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'span',
]

const strict: sanitizeHtml.IOptions = {
  allowedTags: strictTags,
  allowedAttributes: {
    // rel is forced to "noopener noreferrer" by transformTags below.
    a: ['href', 'rel'],
    span: ['class', 'data-id', 'data-value', 'data-denotation-char'],
  },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }),
  },
}

const relaxed: sanitizeHtml.IOptions = {
  ...strict,
  allowedTags: [
    ...strictTags,
    'h1',
    'h2',
    'h3',
    'h4',
    'hr',
    'img',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: {
    ...strict.allowedAttributes,
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemesByTag: { img: ['https'] },
}

export type RichTextProfile = 'strict' | 'relaxed'

export function sanitizeRichText(html: string, profile: RichTextProfile): string {
  return sanitizeHtml(html, profile === 'strict' ? strict : relaxed)
}
