// Templates are bundled as text (tsup's text loader, a vitest transform).
declare module '*.html' {
  const text: string
  export default text
}
