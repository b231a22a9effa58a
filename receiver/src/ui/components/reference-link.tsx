import { queryString, referenceUrl } from "../links.js";

/**
 * A reference as an outside link when it has one (URLs, `owner/repo#123`), plus a link to every release
 * that shipped it.
 */
export function ReferenceLink(props: { reference: string; repository?: string | null; compact?: boolean }) {
  const url = referenceUrl(props.reference, props.repository);
  const history = `/releases${queryString({ reference: props.reference })}`;
  if (props.compact) {
    return (
      <a href={history} class="ref">
        {props.reference}
      </a>
    );
  }
  return (
    <span class="nowrap">
      {url ? (
        <a href={url} rel="noopener noreferrer">
          {props.reference}
        </a>
      ) : (
        <span class="mono">{props.reference}</span>
      )}{" "}
      <a href={history} class="small" aria-label={`Releases with ${props.reference}`}>
        (releases)
      </a>
    </span>
  );
}
