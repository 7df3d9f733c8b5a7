/** Vite's `?url` imports: the address of a bundled file (pdf.js's worker). */
declare module '*?url' {
  const url: string;
  export default url;
}
