// An SVG document as an image URL (the CSP allows data: images, not inline markup).
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
