import { formatDateTime, timeAgo } from "../format.js";

/** "3 h ago" with the exact UTC time as a tooltip; the client script keeps the text fresh. */
export function RelTime(props: { iso: string | null | undefined; now: Date }) {
  if (!props.iso) return <span class="muted">—</span>;
  return (
    <time datetime={props.iso} title={formatDateTime(props.iso)} data-relative="">
      {timeAgo(props.iso, props.now)}
    </time>
  );
}

/** An exact UTC time in a `<time>` element. */
export function AbsTime(props: { iso: string | null | undefined }) {
  if (!props.iso) return <span class="muted">—</span>;
  return <time datetime={props.iso}>{formatDateTime(props.iso)}</time>;
}
