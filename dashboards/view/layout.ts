export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface Layout {
  header: Rect;
  upstream: Rect;
  table: Rect;
  detail: Rect;
  feed: Rect;
  footer: Rect;
  /** Worker rows the table shows (inside its border, under its header line). */
  tableRows: number;
}

/** Content lines in the upstream box. */
export const UPSTREAM_LINES = 2;
/** Below this width the detail and the feed are stacked instead of side by side. */
export const SIDE_BY_SIDE_MIN_WIDTH = 70;

/**
 * Where each panel goes on a `width` x `height` terminal (80x24 and up; smaller still draws,
 * cramped). Boxes have a one-character border. The worker table takes most of any extra height,
 * the detail and feed the rest.
 */
export function layout(width: number, height: number): Layout {
  const W = Math.max(20, width);
  const H = Math.max(12, height);
  const header: Rect = { top: 0, left: 0, width: W, height: 1 };
  const upstream: Rect = { top: 1, left: 0, width: W, height: UPSTREAM_LINES + 2 };
  const footer: Rect = { top: H - 1, left: 0, width: W, height: 1 };
  const body = H - header.height - upstream.height - footer.height;
  const sideBySide = W >= SIDE_BY_SIDE_MIN_WIDTH;
  let bottom = Math.max(7, Math.min(sideBySide ? 16 : 24, Math.floor(body * 0.4)));
  if (body - bottom < 5) bottom = Math.max(3, body - 5);
  const tableHeight = body - bottom;
  const top = upstream.top + upstream.height;
  const table: Rect = { top, left: 0, width: W, height: tableHeight };
  const bottomTop = top + tableHeight;
  let detail: Rect;
  let feed: Rect;
  if (sideBySide) {
    const detailWidth = Math.floor(W * 0.55);
    detail = { top: bottomTop, left: 0, width: detailWidth, height: bottom };
    feed = { top: bottomTop, left: detailWidth, width: W - detailWidth, height: bottom };
  } else {
    // Too little room for two boxes: the detail only.
    const detailHeight = bottom < 6 ? bottom : Math.ceil(bottom / 2);
    detail = { top: bottomTop, left: 0, width: W, height: detailHeight };
    feed = { top: bottomTop + detailHeight, left: 0, width: W, height: bottom - detailHeight };
  }
  return { header, upstream, table, detail, feed, footer, tableRows: Math.max(0, tableHeight - 3) };
}
