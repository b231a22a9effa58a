import type { Status } from "@sponge/core";

const ICONS: Record<Status, string> = {
  succeeded: "✓",
  failed: "✕",
  running: "◐",
  queued: "…",
  cancelled: "⊘",
};

/** A status as a word with a symbol and a colour (never colour alone). */
export function StatusBadge(props: { status: Status; label?: string }) {
  return (
    <span class={`badge status-${props.status}`}>
      <span class="icon" aria-hidden="true">
        {ICONS[props.status]}
      </span>
      {props.label ?? props.status}
    </span>
  );
}

/** Marks a rollback (a version that was current before, deployed again). */
export function RollbackBadge() {
  return (
    <span class="badge rollback" title="A version that was current here before, deployed again">
      <span aria-hidden="true">↩</span>rollback
    </span>
  );
}
