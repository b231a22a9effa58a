/** The filters or settings of a page's form that could not be read, as an alert; nothing when all were. */
export function InputErrors(props: { errors: readonly string[]; what: "filters" | "settings" }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="alert" role="alert">
      <p>These {props.what} could not be read:</p>
      <ul>
        {props.errors.map((error) => (
          <li>{error}</li>
        ))}
      </ul>
    </div>
  );
}
